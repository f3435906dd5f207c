package import WireFormats

/// Puts a native dialect's tool declarations into the OpenAI shape, so that
/// ``OpenAIToolCallPlanner`` (and with it ``JSONSchemaValueGenerator``) decides every emulator's
/// tool calls by the same rules.
package enum FunctionToolAdapter {
    /// `{"type":"function","function":{"name","parameters"}}`.
    package static func openAITool(name: String, parameters: JSONValue?) -> JSONValue {
        ["type": "function", "function": ["name": .string(name), "parameters": parameters ?? ["type": "object", "properties": [:]]]]
    }

    /// The planned calls, none for a text answer. `choice` is `"none"`, `"auto"` or
    /// `"required"`; `forcedName` forces that tool; `parallel` false keeps at most one call.
    package static func plan(
        tools: [JSONValue],
        choice: String?,
        forcedName: String? = nil,
        conversation: OpenAIConversation,
        parallel: Bool = true
    ) -> [OpenAIPlannedToolCall] {
        let toolChoice: JSONValue?
        if let forcedName {
            toolChoice = ["type": "function", "function": ["name": .string(forcedName)]]
        } else {
            toolChoice = choice.map(JSONValue.string)
        }
        return (try? OpenAIToolCallPlanner.plan(tools: tools, toolChoice: toolChoice, conversation: conversation, parallel: parallel)) ?? []
    }
}
