package import WireFormats

/// A function tool offered by the client, from either API's shape: Chat Completions nests it
/// (`{"type":"function","function":{"name","parameters"}}`), Responses has it flat
/// (`{"type":"function","name","parameters"}`).
package struct OpenAIFunctionTool: Sendable, Hashable {
    package let name: String
    package let parameters: JSONValue

    package init?(_ tool: JSONValue) {
        guard tool["type"]?.stringValue == "function" else { return nil }
        let declaration = tool["function"] ?? tool
        guard let name = declaration["name"]?.stringValue else { return nil }
        self.name = name
        self.parameters = declaration["parameters"] ?? ["type": "object", "properties": [:]]
    }
}
