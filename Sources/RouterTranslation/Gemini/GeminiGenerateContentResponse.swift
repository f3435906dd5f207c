package import WireFormats

/// A `generateContent` answer, and each event of `:streamGenerateContent?alt=sse` (every SSE
/// event is a whole `GenerateContentResponse` holding only the new parts).
package struct GeminiGenerateContentResponse: Codable, Sendable, Equatable {
    package var candidates: [GeminiCandidate]?
    package var usageMetadata: GeminiUsageMetadata?
    package var promptFeedback: GeminiPromptFeedback?
    package var modelVersion: String?
    package var responseId: String?

    package init(
        candidates: [GeminiCandidate]? = nil, usageMetadata: GeminiUsageMetadata? = nil,
        promptFeedback: GeminiPromptFeedback? = nil, modelVersion: String? = nil, responseId: String? = nil
    ) {
        self.candidates = candidates
        self.usageMetadata = usageMetadata
        self.promptFeedback = promptFeedback
        self.modelVersion = modelVersion
        self.responseId = responseId
    }
}

package struct GeminiCandidate: Codable, Sendable, Equatable {
    package var content: GeminiContent?
    package var finishReason: String?
    package var finishMessage: String?
    package var index: Int?

    package init(content: GeminiContent?, finishReason: String? = nil, finishMessage: String? = nil, index: Int? = nil) {
        self.content = content
        self.finishReason = finishReason
        self.finishMessage = finishMessage
        self.index = index
    }
}

/// Token counts. `candidatesTokenCount` excludes thinking, which is `thoughtsTokenCount`; so the
/// OpenAI `completion_tokens` is their sum. `cachedContentTokenCount` is part of `promptTokenCount`.
package struct GeminiUsageMetadata: Codable, Sendable, Equatable {
    package var promptTokenCount: Int?
    package var candidatesTokenCount: Int?
    package var totalTokenCount: Int?
    package var cachedContentTokenCount: Int?
    package var thoughtsTokenCount: Int?
    package var toolUsePromptTokenCount: Int?

    package init(
        promptTokenCount: Int? = nil, candidatesTokenCount: Int? = nil, totalTokenCount: Int? = nil,
        cachedContentTokenCount: Int? = nil, thoughtsTokenCount: Int? = nil, toolUsePromptTokenCount: Int? = nil
    ) {
        self.promptTokenCount = promptTokenCount
        self.candidatesTokenCount = candidatesTokenCount
        self.totalTokenCount = totalTokenCount
        self.cachedContentTokenCount = cachedContentTokenCount
        self.thoughtsTokenCount = thoughtsTokenCount
        self.toolUsePromptTokenCount = toolUsePromptTokenCount
    }
}

/// Set when the prompt itself was blocked; the answer then has no candidates.
package struct GeminiPromptFeedback: Codable, Sendable, Equatable {
    package var blockReason: String?

    package init(blockReason: String?) { self.blockReason = blockReason }
}

/// Google's error body: a `google.rpc.Status` wrapped in `error`. It is also what an `alt=sse`
/// stream carries in-band when it fails after the 200.
package struct GoogleRPCStatusEnvelope: Codable, Sendable, Equatable {
    package struct Status: Codable, Sendable, Equatable {
        package var code: Int?
        package var message: String?
        package var status: String?
        package var details: [JSONValue]?

        package init(code: Int?, message: String?, status: String?, details: [JSONValue]? = nil) {
            self.code = code
            self.message = message
            self.status = status
            self.details = details
        }
    }

    package var error: Status

    package init(error: Status) { self.error = error }
}
