package import Foundation
package import WireFormats

/// One per translated target dialect (Anthropic, Gemini, Bedrock, Cohere).
///
/// Translators are pure: no I/O, no clocks other than the injected ``CompletionIdentitySource``,
/// so the same input always gives the same bytes. The proxy owns the HTTP exchange; a
/// translator only turns an OpenAI request into the upstream's body and the upstream's answer
/// (whole, streamed, or an error body) back into OpenAI's shape.
package protocol ChatTranslator: Sendable {
    /// The upstream request for an OpenAI chat request: operation path relative to the provider's
    /// API root (e.g. "/v1/messages", "/v1beta/models/<m>:streamGenerateContent?alt=sse",
    /// "/model/<id>/converse-stream", "/v2/chat"), JSON body bytes, and what was dropped.
    ///
    /// - Parameter model: the target's native model id (the part after `provider:`).
    /// - Throws: ``TranslationError`` (400) when the request cannot be expressed for the target.
    func upstreamRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> TranslatedRequest

    /// The OpenAI chat completion for a whole upstream answer.
    ///
    /// - Throws: ``TranslationError`` (502) when the upstream body is not the dialect's answer.
    func chatCompletion(fromUpstreamBody body: Data, for request: ChatCompletionRequest) throws(TranslationError) -> ChatCompletion

    /// A stateful translator for one stream.
    func makeStreamTranslator(for request: ChatCompletionRequest) -> any ChatStreamTranslator

    /// OpenAI-shaped error for an upstream error body (status kept by the caller).
    /// Never throws: a body that is not the dialect's error shape still becomes an error the
    /// client can read, with the raw text as its message.
    func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody
}

/// Translates one upstream stream into OpenAI chunks, message by message, as they arrive:
/// a text event becomes a chunk at once, never buffered to the end.
package protocol ChatStreamTranslator {
    /// One upstream stream message (SSE: `event` name or nil, `data` bytes; Bedrock: the
    /// event-stream message's `:event-type` and JSON payload) → zero or more OpenAI chunks.
    ///
    /// - Throws: ``TranslationError``; an upstream in-band error event throws one whose
    ///   ``TranslationError/openAIError`` is the error event the relay writes before `[DONE]`.
    mutating func translate(_ message: UpstreamStreamMessage) throws(TranslationError) -> [ChatCompletionChunk]

    /// The upstream stream ended: the closing chunks (finish_reason, usage when asked), never
    /// `[DONE]` (the relay writes it). Returns nothing when the upstream's own end event already
    /// produced them.
    ///
    /// - Throws: ``TranslationError`` (502) when the upstream ended before its completion marker
    ///   (e.g. Anthropic without `message_stop` or a stop reason): a truncated answer must reach
    ///   the client as an error event, not pass for a whole one.
    mutating func finish() throws(TranslationError) -> [ChatCompletionChunk]
}

/// One message of an upstream stream, already framed by the caller.
package struct UpstreamStreamMessage: Sendable, Equatable {
    /// SSE `event:` name, or Bedrock's `:event-type` header; nil for data-only SSE.
    package var event: String?
    /// The message payload (SSE `data:` lines joined with "\n", or the event-stream payload).
    package var data: Data

    package init(event: String?, data: Data) {
        self.event = event
        self.data = data
    }

    package init(event: String?, json: String) {
        self.init(event: event, data: Data(json.utf8))
    }
}

/// The upstream request a translator built.
package struct TranslatedRequest: Sendable, Equatable {
    /// Path relative to the provider's API root, query included (e.g. `?alt=sse`).
    package var operationPath: String
    /// JSON body, encoded with ``TranslationJSON`` (sorted keys) so it is byte-stable.
    package var body: Data
    /// Whether the upstream will answer with a stream (the proxy picks the relay from this).
    package var isStreaming: Bool
    /// What the target cannot take, reported to the client in `x-archestra-dropped-content`.
    package var dropped: [DroppedContent]

    package init(operationPath: String, body: Data, isStreaming: Bool, dropped: [DroppedContent]) {
        self.operationPath = operationPath
        self.body = body
        self.isStreaming = isStreaming
        self.dropped = dropped
    }
}

/// Something in the client's request the target did not receive, and why.
package struct DroppedContent: Sendable, Hashable, CustomStringConvertible {
    /// What was dropped: a field name (`"logprobs"`, `"seed"`) or a content kind (`"audio"`,
    /// `"image_url (http)"`).
    package var kind: String
    /// Why, in words a client developer understands (`"Anthropic has no seed"`).
    package var reason: String

    package init(kind: String, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    package var description: String { "\(kind): \(reason)" }

    /// The value of an `x-archestra-dropped-content` header: the distinct kinds, in first-seen
    /// order, comma-separated (reasons stay in logs; a header should stay short).
    package static func headerValue(for dropped: [DroppedContent]) -> String? {
        var seen = Set<String>()
        let kinds = dropped.map(\.kind).filter { seen.insert($0).inserted }
        return kinds.isEmpty ? nil : kinds.joined(separator: ", ")
    }
}
