/// Anthropic `stop_reason` → OpenAI `finish_reason`.
enum AnthropicStopReason {
    static func finishReason(_ stopReason: String?) -> FinishReason {
        switch stopReason {
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: .stop  // end_turn, stop_sequence, pause_turn, absent
        }
    }
}

/// A whole Messages answer → an OpenAI chat completion.
enum AnthropicResponseTranslator {
    static func chatCompletion(
        from response: AnthropicMessagesResponse,
        request: ChatCompletionRequest,
        identity: CompletionIdentity
    ) -> ChatCompletion {
        let structured = AnthropicStructuredOutput(request: request)
        var texts: [String] = []
        var reasoning: [String] = []
        var toolCalls: [ToolCall] = []
        var structuredAnswer: String?
        for block in response.content {
            switch block {
            case .text(let text):
                texts.append(text)
            case .thinking(let text):
                reasoning.append(text)
            case .toolUse(let id, let name, let input):
                if let structured, name == structured.toolName {
                    // The forced response-format tool: its input is the answer, not a call.
                    structuredAnswer = structured.answerText(fromInput: input)
                } else {
                    toolCalls.append(ToolCall(id: id, name: name, arguments: TranslationJSON.text(of: input)))
                }
            case .redactedThinking, .other:
                continue
            }
        }
        var finishReason = AnthropicStopReason.finishReason(response.stopReason)
        if finishReason == .toolCalls, toolCalls.isEmpty, structuredAnswer != nil {
            finishReason = .stop
        }
        // With a structured answer, text the model wrote before calling the tool is preamble,
        // not part of the JSON the client will parse: only the tool's input is the content.
        let content = structuredAnswer ?? (texts.isEmpty ? nil : texts.joined())
        let message = ChatCompletion.Message(
            content: content,
            reasoningContent: reasoning.isEmpty ? nil : reasoning.joined(),
            toolCalls: toolCalls.isEmpty ? nil : toolCalls
        )
        return ChatCompletion(
            identity: identity, model: request.model, message: message,
            finishReason: finishReason, usage: response.usage?.openAIUsage
        )
    }
}
