package import Foundation
package import WireFormats

/// OpenAI chat to an OpenAI-compatible provider: no translation, only decoding.
///
/// The router sends chat to these providers byte for byte (model rewritten) and never needs
/// this; `/responses` over chat does, to read the provider's chat answers and chunks as the
/// typed values ``ResponsesOverChatTranslator`` turns into Responses events. The answer's `model`
/// is the client's provider-qualified id, as with every other target.
package struct OpenAICompatibleChatTranslator: ChatTranslator {
    package init() {}

    package func upstreamRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> TranslatedRequest {
        var upstream = request
        upstream.model = model
        return TranslatedRequest(
            operationPath: "/chat/completions", body: try TranslationJSON.encode(upstream), isStreaming: request.isStreaming,
            dropped: [])
    }

    package func chatCompletion(fromUpstreamBody body: Data, for request: ChatCompletionRequest) throws(TranslationError) -> ChatCompletion {
        var completion = try TranslationJSON.decodeUpstream(ChatCompletion.self, from: body, what: "chat completion")
        completion.model = request.model
        return completion
    }

    package func makeStreamTranslator(for request: ChatCompletionRequest) -> any ChatStreamTranslator {
        OpenAICompatibleStreamTranslator(model: request.model)
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        if let error = try? JSONDecoder().decode(OpenAIErrorBody.self, from: body) { return error }
        let text = String(decoding: body.prefix(1024), as: UTF8.self)
        return OpenAIErrorBody(message: text.isEmpty ? "The upstream answered \(status)." : text, type: status >= 500 ? "upstream_error" : "invalid_request_error")
    }
}

/// Reads an OpenAI-compatible stream's `data:` payloads as chunks; `[DONE]` ends it, an
/// in-band `{"error":…}` throws.
package struct OpenAICompatibleStreamTranslator: ChatStreamTranslator {
    let model: String

    package mutating func translate(_ message: UpstreamStreamMessage) throws(TranslationError) -> [ChatCompletionChunk] {
        let trimmed = message.data.drop { $0 == 0x20 || $0 == 0x0A }
        if trimmed.isEmpty || trimmed.elementsEqual("[DONE]".utf8) { return [] }
        if let error = try? JSONDecoder().decode(OpenAIErrorBody.self, from: message.data) {
            throw .upstream(error, status: 500)
        }
        var chunk = try TranslationJSON.decodeUpstream(ChatCompletionChunk.self, from: message.data, what: "chat completion chunk")
        chunk.model = self.model
        return [chunk]
    }

    package mutating func finish() throws(TranslationError) -> [ChatCompletionChunk] { [] }
}
