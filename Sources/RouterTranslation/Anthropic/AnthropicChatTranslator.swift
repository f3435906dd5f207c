package import Foundation
package import WireFormats

/// OpenAI Chat Completions over Anthropic Messages (`POST /v1/messages`).
///
/// See ``AnthropicRequestTranslator`` for what is kept, translated and dropped;
/// ``AnthropicResponseTranslator`` and ``AnthropicStreamTranslator`` for the way back.
package struct AnthropicChatTranslator: ChatTranslator {
    private let identities: CompletionIdentitySource

    package init(identities: CompletionIdentitySource = .random) {
        self.identities = identities
    }

    package static let operationPath = "/v1/messages"

    package func upstreamRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> TranslatedRequest {
        var translator = AnthropicRequestTranslator(request: request, model: model)
        let body = try translator.translate()
        return TranslatedRequest(
            operationPath: Self.operationPath,
            body: try TranslationJSON.encode(body),
            isStreaming: request.isStreaming,
            dropped: translator.dropped
        )
    }

    /// The typed request, for callers and tests that want it before encoding.
    package func messagesRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> (AnthropicMessagesRequest, [DroppedContent]) {
        var translator = AnthropicRequestTranslator(request: request, model: model)
        let body = try translator.translate()
        return (body, translator.dropped)
    }

    package func chatCompletion(fromUpstreamBody body: Data, for request: ChatCompletionRequest) throws(TranslationError) -> ChatCompletion {
        let response = try TranslationJSON.decodeUpstream(AnthropicMessagesResponse.self, from: body, what: "Anthropic message")
        return AnthropicResponseTranslator.chatCompletion(from: response, request: request, identity: identities.next())
    }

    package func makeStreamTranslator(for request: ChatCompletionRequest) -> any ChatStreamTranslator {
        AnthropicStreamTranslator(request: request, identity: identities.next())
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        AnthropicErrorTranslation.openAIError(fromBody: body, status: status)
    }
}
