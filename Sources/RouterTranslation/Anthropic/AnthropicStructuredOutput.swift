package import WireFormats

/// `response_format` JSON on Anthropic, which has no JSON mode: a tool whose input schema is
/// the requested schema, which the model is made to call; its `input` is the answer. The
/// request and both response paths derive the same value from the client's request, so the
/// answer can be recognised and turned back into message content.
package struct AnthropicStructuredOutput: Sendable, Equatable {
    /// The tool's name: the schema's `name`, or `json_response` for `json_object`.
    package let toolName: String
    package let description: String
    /// The tool's `input_schema`.
    package let inputSchema: JSONValue
    /// A tool input must be an object; a non-object schema (an array, a string…) is wrapped as
    /// the `value` property and unwrapped from the answer.
    package let wrapsValue: Bool

    package static let wrappedProperty = "value"

    /// nil when the request asks for no JSON output.
    package init?(request: ChatCompletionRequest) {
        switch request.responseFormat {
        case .none, .text?:
            return nil
        case .jsonObject?:
            toolName = "json_response"
            description = "Respond with a JSON object. The tool input is the answer."
            inputSchema = ["type": "object", "additionalProperties": true]
            wrapsValue = false
        case .jsonSchema(let format)?:
            toolName = format.name
            description = format.description ?? "Respond with JSON matching this schema. The tool input is the answer."
            let schema = format.schema ?? ["type": "object"]
            if Self.isObjectSchema(schema) {
                inputSchema = AnthropicToolSchema.inputSchema(from: schema)
                wrapsValue = false
            } else {
                inputSchema = ["type": "object", "properties": .object([Self.wrappedProperty: schema]), "required": [.string(Self.wrappedProperty)]]
                wrapsValue = true
            }
        }
    }

    /// The answer text for the tool's input: the JSON itself, or the wrapped value.
    package func answerText(fromInput input: JSONValue) -> String {
        if wrapsValue, let value = input[Self.wrappedProperty] { return TranslationJSON.text(of: value) }
        return TranslationJSON.text(of: input)
    }

    private static func isObjectSchema(_ schema: JSONValue) -> Bool {
        if let type = schema["type"] { return type == "object" }
        // No `type`: an object schema if it describes properties (JSON Schema's usual shorthand).
        return schema["properties"] != nil
    }
}

/// OpenAI `parameters` → Anthropic `input_schema`.
package enum AnthropicToolSchema {
    /// Anthropic requires `input_schema.type` ("tools.N.custom.input_schema.type: Field
    /// required"), which OpenAI does not: a tool without parameters gets an empty object schema,
    /// a schema without `type` gets `"type":"object"`. Everything else is passed as is.
    package static func inputSchema(from parameters: JSONValue?) -> JSONValue {
        guard case .object(var schema)? = parameters else {
            return ["type": "object", "properties": [:]]
        }
        if schema["type"] == nil { schema["type"] = "object" }
        return .object(schema)
    }
}
