import WireFormats

extension OpenAIChatCompletion {
    /// The emulators' answer to a Chat Completions call: the tool calls ``OpenAIToolCallPlanner``
    /// decides on (at most one with `parallel_tool_calls: false`), else JSON for `response_format` json_schema / json_object (``StructuredReply``),
    /// else ``DeterministicReply`` cut to `tokenLimit` (`finish_reason` `length` when cut). Every OpenAI-style emulator answers through this, so their content rules cannot drift.
    static func deterministic(
        for call: DialectJSONRequest,
        conversation: OpenAIConversation,
        toolChoice: JSONValue?,
        tokenLimit: Int?,
        choiceCount: Int
    ) throws(EmulatorError) -> OpenAIChatCompletion {
        let toolCalls = try OpenAIToolCallPlanner.plan(
            tools: call["tools"]?.arrayValue, toolChoice: toolChoice, conversation: conversation,
            parallel: call["parallel_tool_calls"]?.boolValue != false
        )
        let stableID = call.stableID
        let answer: Answer
        if !toolCalls.isEmpty {
            answer = .toolCalls(toolCalls.enumerated().map { index, toolCall in (toolCall, "call_\(call.stableID(call: index))") })
        } else if let structured = StructuredReply(openAIFormat: call["response_format"], conversation: conversation) {
            answer = .text(deltas: structured.deltas, text: structured.text, finishReason: "stop")
        } else {
            let reply = DeterministicReply(for: conversation).truncated(to: tokenLimit)
            answer = .text(deltas: reply.deltas, text: reply.text, finishReason: reply.wasTruncated ? "length" : "stop")
        }
        return OpenAIChatCompletion(
            id: "chatcmpl-\(stableID)",
            model: call.model,
            answer: answer,
            choiceCount: choiceCount,
            promptTokens: conversation.promptTokens
        )
    }
}
