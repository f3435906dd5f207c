package import WireFormats

/// Decides between a text answer and tool calls, for every emulator (native dialects put their
/// tools and choice in this shape through ``FunctionToolAdapter``).
///
/// - `tool_choice` `"none"`, or no tools: text (no calls).
/// - `"auto"` or absent: a call to each tool (in `tools` order) whose name the last message
///   mentions, case-insensitively, when that last message is the user's; otherwise text (so a
///   conversation ending in a tool result gets a text answer).
/// - `"required"`: as `"auto"`, else (no tool named, or the last message is not the user's) one
///   call to the first tool.
/// - `{"type":"function", "function":{"name":X}}` (or the flat `{"type":"function","name":X}`):
///   one call to X.
///
/// With `parallel` false (OpenAI `parallel_tool_calls: false`, Anthropic
/// `disable_parallel_tool_use: true`) at most one call: the first named tool.
package enum OpenAIToolCallPlanner {
    package static func plan(
        tools: [JSONValue]?,
        toolChoice: JSONValue?,
        conversation: OpenAIConversation,
        parallel: Bool = true
    ) throws(EmulatorError) -> [OpenAIPlannedToolCall] {
        var functions: [OpenAIFunctionTool] = []
        for function in (tools ?? []).compactMap(OpenAIFunctionTool.init) where !functions.contains(where: { $0.name == function.name }) {
            functions.append(function)
        }
        guard !functions.isEmpty else { return [] }
        let lastUserMessage = conversation.lastMessage?.role == "user" ? conversation.lastMessage?.text.lowercased() : nil
        let named = lastUserMessage.map { text in functions.filter { text.contains($0.name.lowercased()) } } ?? []
        let mentioned = parallel ? named : Array(named.prefix(1))

        let chosen: [OpenAIFunctionTool]
        switch toolChoice {
        case .string("none"):
            chosen = []
        case .string("required"):
            chosen = mentioned.isEmpty ? [functions[0]] : mentioned
        case .string("auto"), nil, .null:
            chosen = mentioned
        case .object:
            let name = toolChoice?["function"]?["name"]?.stringValue ?? toolChoice?["name"]?.stringValue
            guard let name, let tool = functions.first(where: { $0.name == name }) else {
                throw OpenAIErrorStyle.invalidParameter(
                    "tool_choice",
                    message: "Invalid value for 'tool_choice': no function named '\(name ?? "")' was specified in the 'tools' parameter."
                )
            }
            chosen = [tool]
        default:
            throw OpenAIErrorStyle.invalidParameter(
                "tool_choice",
                message: "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function."
            )
        }
        return chosen.map { tool in
            OpenAIPlannedToolCall(name: tool.name, arguments: JSONSchemaValueGenerator(rootSchema: tool.parameters).value().encodedString())
        }
    }
}
