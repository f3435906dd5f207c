package import WireFormats

/// Decides between a text answer and a tool call.
///
/// - `tool_choice` `"none"`, or no tools: text.
/// - `"required"`: call the first tool named in the last user message, else the first tool.
/// - `{"type":"function", "function":{"name":X}}` (or the flat `{"type":"function","name":X}`): call X.
/// - `"auto"` or absent: call the first tool (in `tools` order) whose name the last message
///   mentions, case-insensitively, when that last message is the user's; otherwise text (so a
///   conversation ending in a tool result gets a text answer).
package enum OpenAIToolCallPlanner {
    package static func plan(
        tools: [JSONValue]?,
        toolChoice: JSONValue?,
        conversation: OpenAIConversation
    ) throws(EmulatorError) -> OpenAIPlannedToolCall? {
        let functions = (tools ?? []).compactMap(OpenAIFunctionTool.init)
        guard !functions.isEmpty else { return nil }
        let lastUserMessage = conversation.lastMessage?.role == "user" ? conversation.lastMessage?.text.lowercased() : nil
        let mentioned = lastUserMessage.flatMap { text in functions.first { text.contains($0.name.lowercased()) } }

        let chosen: OpenAIFunctionTool?
        switch toolChoice {
        case .string("none"):
            chosen = nil
        case .string("required"):
            chosen = mentioned ?? functions.first
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
            chosen = tool
        default:
            throw OpenAIErrorStyle.invalidParameter(
                "tool_choice",
                message: "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function."
            )
        }
        guard let chosen else { return nil }
        let arguments = JSONSchemaValueGenerator(rootSchema: chosen.parameters).value().encodedString()
        return OpenAIPlannedToolCall(name: chosen.name, arguments: arguments)
    }
}
