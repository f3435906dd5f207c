import WireFormats

/// Anthropic Messages stream → OpenAI chunks, event by event.
///
/// message_start → the role chunk; text_delta → `content`; thinking_delta → `reasoning_content`;
/// tool_use content_block_start → a tool-call delta with id and name, input_json_delta → argument
/// fragments (LiteLLM #36262 lost these); message_delta → stop reason and output usage;
/// message_stop → the finish chunk and, when the client asked, the usage chunk (Archestra's
/// router never sends it). `ping` and signature deltas produce nothing; an `error` event throws
/// ``TranslationError/upstream(_:status:)`` carrying the OpenAI error event to write.
package struct AnthropicStreamTranslator: ChatStreamTranslator {
    private var chunks: ChatCompletionChunkBuilder
    private let structured: AnthropicStructuredOutput?
    /// Anthropic content-block index → OpenAI tool-call index (0, 1, 2… over tool blocks only).
    private var toolIndexByBlock: [Int: Int] = [:]
    /// The block that answers a response_format (its JSON is content, not a tool call).
    private var structuredBlock: Int?
    /// Its JSON, collected only when the answer must be unwrapped from `{"value": …}`.
    private var structuredBuffer = ""
    private var usage = AnthropicUsage()
    private var stopReason: String?
    private var sawClientToolCall = false
    /// Tool blocks that streamed at least one arguments fragment.
    private var toolBlocksWithArguments: Set<Int> = []

    package init(request: ChatCompletionRequest, identity: CompletionIdentity) {
        self.chunks = ChatCompletionChunkBuilder(identity: identity, request: request)
        self.structured = AnthropicStructuredOutput(request: request)
    }

    package mutating func translate(_ message: UpstreamStreamMessage) throws(TranslationError) -> [ChatCompletionChunk] {
        let event = try AnthropicStreamEvent.decode(message.data, eventName: message.event)
        // The SSE event name and the payload's `type` agree on Anthropic; the payload is used so
        // data-only captures translate too.
        switch event.type {
        case "message_start":
            if let startUsage = event.message?.usage { usage.merge(startUsage) }
            return chunks.start()
        case "content_block_start":
            return contentBlockStart(event)
        case "content_block_delta":
            return contentBlockDelta(event)
        case "content_block_stop":
            return contentBlockStop(event)
        case "message_delta":
            if let reason = event.delta?.stopReason { stopReason = reason }
            if let deltaUsage = event.usage { usage.merge(deltaUsage) }
            return []
        case "message_stop":
            return closingChunks()
        case "error":
            let detail = event.error ?? AnthropicErrorBody.Detail(type: "api_error", message: "Anthropic reported a stream error")
            throw .upstream(AnthropicErrorTranslation.openAIError(detail), status: AnthropicErrorTranslation.status(forAnthropicType: detail.type))
        default:
            // `ping`, and event types added after this was written: nothing for the client.
            return []
        }
    }

    package mutating func finish() throws(TranslationError) -> [ChatCompletionChunk] {
        if chunks.hasFinished { return [] }
        // Without message_stop and without a stop reason the upstream was cut off mid-answer:
        // a clean finish chunk would pass a truncated answer off as whole (Bifrost #6390's
        // converse). The relay turns this into an OpenAI error event.
        guard stopReason != nil else {
            throw .malformedUpstream("the Anthropic stream ended before message_stop")
        }
        return closingChunks()
    }

    private mutating func closingChunks() -> [ChatCompletionChunk] {
        var reason = AnthropicStopReason.finishReason(stopReason)
        if reason == .toolCalls, !sawClientToolCall, structuredBlock != nil { reason = .stop }
        return chunks.finish(reason: reason, usage: usage.openAIUsage)
    }

    private mutating func contentBlockStart(_ event: AnthropicStreamEvent) -> [ChatCompletionChunk] {
        guard let index = event.index, let block = event.contentBlock else { return [] }
        switch block {
        case .toolUse(let id, let name, _):
            if let structured, name == structured.toolName {
                structuredBlock = index
                return []
            }
            let toolIndex = toolIndexByBlock.count
            toolIndexByBlock[index] = toolIndex
            sawClientToolCall = true
            return chunks.toolCallStart(index: toolIndex, id: id, name: name)
        case .text(let text):
            // Anthropic starts text blocks empty; a non-empty start is content all the same.
            return text.isEmpty ? [] : chunks.content(text)
        case .thinking(let text):
            return text.isEmpty ? [] : chunks.reasoning(text)
        case .redactedThinking, .other:
            return []
        }
    }

    private mutating func contentBlockDelta(_ event: AnthropicStreamEvent) -> [ChatCompletionChunk] {
        guard let delta = event.delta else { return [] }
        switch delta.type {
        case "text_delta":
            guard let text = delta.text, !text.isEmpty else { return [] }
            return chunks.content(text)
        case "thinking_delta":
            guard let thinking = delta.thinking, !thinking.isEmpty else { return [] }
            return chunks.reasoning(thinking)
        case "input_json_delta":
            guard let index = event.index, let fragment = delta.partialJSON, !fragment.isEmpty else { return [] }
            if index == structuredBlock, let structured {
                if structured.wrapsValue {
                    structuredBuffer += fragment
                    return []
                }
                // The answer's JSON streams as content as it arrives.
                return chunks.content(fragment)
            }
            guard let toolIndex = toolIndexByBlock[index] else { return [] }
            toolBlocksWithArguments.insert(index)
            return chunks.toolCallArguments(index: toolIndex, fragment: fragment)
        default:
            // signature_delta (the thinking block's signature: nothing OpenAI can carry),
            // citations_delta and future delta types.
            return []
        }
    }

    private mutating func contentBlockStop(_ event: AnthropicStreamEvent) -> [ChatCompletionChunk] {
        guard let index = event.index else { return [] }
        if let toolIndex = toolIndexByBlock[index], !toolBlocksWithArguments.contains(index) {
            // An argument-less call streams only `partial_json: ""`; OpenAI clients would
            // accumulate "" and fail to parse it, so the call gets "{}" as the non-stream path does.
            return chunks.toolCallArguments(index: toolIndex, fragment: "{}")
        }
        guard index == structuredBlock, let structured, structured.wrapsValue else { return [] }
        let input = (try? TranslationJSON.parseEmbedded(structuredBuffer, field: "input")) ?? .object([:])
        return chunks.content(structured.answerText(fromInput: input))
    }
}
