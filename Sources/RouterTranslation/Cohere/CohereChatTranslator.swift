package import Foundation
package import WireFormats

/// OpenAI Chat Completions over Cohere v2 chat (`POST /v2/chat`), request, answer and stream.
package struct CohereChatTranslator: ChatTranslator {
    private let identities: CompletionIdentitySource

    /// - Parameter identities: where completion ids and timestamps come from (`.fixed()` in tests).
    package init(identities: CompletionIdentitySource = .random) {
        self.identities = identities
    }

    package func upstreamRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> TranslatedRequest {
        let (body, dropped) = try CohereRequestTranslation.cohereRequest(for: request, model: model)
        return TranslatedRequest(
            operationPath: "/v2/chat", body: try TranslationJSON.encode(body),
            isStreaming: body.stream, dropped: dropped)
    }

    package func chatCompletion(fromUpstreamBody body: Data, for request: ChatCompletionRequest) throws(TranslationError) -> ChatCompletion {
        let answer = try TranslationJSON.decodeUpstream(CohereChatResponse.self, from: body, what: "Cohere chat answer")
        guard answer.message != nil || answer.finishReason != nil else {
            throw .malformedUpstream("Cohere chat answer has neither message nor finish_reason")
        }
        return ChatCompletion(
            identity: identities.next(), model: request.model,
            message: CohereAnswerTranslation.message(answer.message),
            finishReason: try CohereAnswerTranslation.finishReason(answer.finishReason),
            usage: CohereAnswerTranslation.usage(answer.usage))
    }

    package func makeStreamTranslator(for request: ChatCompletionRequest) -> any ChatStreamTranslator {
        CohereStreamTranslator(builder: ChatCompletionChunkBuilder(identity: identities.next(), request: request))
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        CohereErrorTranslation.openAIError(fromUpstreamBody: body, status: status)
    }
}

/// One Cohere v2 chat stream → OpenAI chunks, event by event (PROTOCOLS.md §6.2).
///
/// | Cohere event | OpenAI chunk |
/// |---|---|
/// | `message-start` | role chunk (`role: assistant`, `content: ""`) |
/// | `content-start` / `content-delta` text | `content` delta |
/// | `content-delta` thinking, `tool-plan-delta` | `reasoning_content` delta |
/// | `tool-call-start` | tool call delta with index, id, type, name, `arguments: ""` |
/// | `tool-call-delta` | arguments fragment |
/// | `message-end` | finish chunk, then usage chunk when `include_usage` |
/// | `content-end`, `tool-call-end`, `citation-*`, `debug`, `[DONE]` | nothing |
package struct CohereStreamTranslator: ChatStreamTranslator {
    private var builder: ChatCompletionChunkBuilder
    /// Cohere tool-call index → OpenAI tool-call index. Cohere numbers tool calls from 0 on
    /// their own, but the mapping keeps OpenAI's indexes dense even if it ever did not.
    private var toolIndexes: [Int: Int] = [:]
    private var lastToolIndex: Int?
    private var sawToolCall = false

    package init(builder: ChatCompletionChunkBuilder) {
        self.builder = builder
    }

    package mutating func translate(_ message: UpstreamStreamMessage) throws(TranslationError) -> [ChatCompletionChunk] {
        guard let event = try Self.event(from: message.data) else { return [] }
        switch event.type {
        case "message-start":
            return builder.start()
        case "content-start", "content-delta":
            let content = event.delta?.message?.content
            var chunks: [ChatCompletionChunk] = []
            if let thinking = content?.thinking, !thinking.isEmpty { chunks += builder.reasoning(thinking) }
            if let text = content?.text, !text.isEmpty { chunks += builder.content(text) }
            return chunks
        case "tool-plan-delta":
            guard let plan = event.delta?.message?.toolPlan, !plan.isEmpty else { return [] }
            return builder.reasoning(plan)
        case "tool-call-start":
            let call = event.delta?.message?.toolCalls
            let cohereIndex = event.index ?? toolIndexes.count
            let index = toolIndexes[cohereIndex] ?? toolIndexes.count
            toolIndexes[cohereIndex] = index
            lastToolIndex = index
            sawToolCall = true
            var chunks = builder.toolCallStart(index: index, id: call?.id ?? "call_\(index)", name: call?.function?.name ?? "")
            chunks += builder.toolCallArguments(index: index, fragment: call?.function?.arguments ?? "")
            return chunks
        case "tool-call-delta":
            guard let fragment = event.delta?.message?.toolCalls?.function?.arguments, !fragment.isEmpty else { return [] }
            guard let index = event.index.flatMap({ toolIndexes[$0] }) ?? lastToolIndex else {
                throw .malformedUpstream("Cohere tool-call-delta before any tool-call-start")
            }
            return builder.toolCallArguments(index: index, fragment: fragment)
        case "message-end":
            let reason = try CohereAnswerTranslation.finishReason(event.delta?.finishReason, detail: event.delta?.error)
            return builder.finish(reason: reason, usage: CohereAnswerTranslation.usage(event.delta?.usage))
        default:
            return []
        }
    }

    /// A stream cut before `message-end` still closes with a finish chunk (Bifrost #6390 shipped
    /// streams without one); the reason is inferred from what was streamed.
    package mutating func finish() throws(TranslationError) -> [ChatCompletionChunk] {
        builder.finish(reason: sawToolCall ? .toolCalls : .stop, usage: nil)
    }

    /// The event in one SSE `data:`; nil for `[DONE]` and empty data, which Cohere's SDK skips.
    private static func event(from data: Data) throws(TranslationError) -> CohereStreamEvent? {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text == "[DONE]" { return nil }
        return try TranslationJSON.decodeUpstream(CohereStreamEvent.self, from: Data(text.utf8), what: "Cohere stream event")
    }
}
