package import WireFormats

/// A tool the model may call: `{"type":"function","function":{name, description, parameters, strict}}`.
package struct ChatTool: Sendable, Equatable, Codable {
    package var type: String
    package var function: FunctionDefinition

    package init(function: FunctionDefinition) {
        self.type = "function"
        self.function = function
    }

    package static func function(_ name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) -> ChatTool {
        ChatTool(function: FunctionDefinition(name: name, description: description, parameters: parameters, strict: strict))
    }
}

package struct FunctionDefinition: Sendable, Equatable, Codable {
    package var name: String
    package var description: String?
    /// JSON Schema of the arguments; absent means "no arguments".
    package var parameters: JSONValue?
    package var strict: Bool?

    package init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }
}

/// `tool_choice`: `"auto" | "none" | "required" | {"type":"function","function":{"name":…}}`.
package enum ToolChoice: Sendable, Equatable, Codable {
    case auto
    case none
    case required
    case function(name: String)

    private struct Named: Codable {
        struct Function: Codable { var name: String }
        var type: String
        var function: Function
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            switch text {
            case "auto": self = .auto
            case "none": self = .none
            case "required": self = .required
            default:
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "tool_choice must be auto, none, required or a named function, not \"\(text)\"")
            }
        } else {
            self = .function(name: try container.decode(Named.self).function.name)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .auto: try container.encode("auto")
        case .none: try container.encode("none")
        case .required: try container.encode("required")
        case .function(let name): try container.encode(Named(type: "function", function: .init(name: name)))
        }
    }
}

/// A tool call in an assistant message or a completion: `arguments` is always a JSON *string*.
package struct ToolCall: Sendable, Equatable, Codable {
    package var id: String
    package var type: String
    package var function: FunctionCall

    package init(id: String, name: String, arguments: String) {
        self.id = id
        self.type = "function"
        self.function = FunctionCall(name: name, arguments: arguments)
    }

    package struct FunctionCall: Sendable, Equatable, Codable {
        package var name: String
        package var arguments: String

        package init(name: String, arguments: String) {
            self.name = name
            self.arguments = arguments
        }
    }
}

/// A tool call delta in a stream chunk: the first carries id, type, name and `arguments: ""`;
/// later ones only `index` and an arguments fragment.
package struct ToolCallDelta: Sendable, Equatable, Codable {
    package var index: Int
    package var id: String?
    package var type: String?
    package var function: FunctionDelta?

    package init(index: Int, id: String?, type: String?, function: FunctionDelta?) {
        self.index = index
        self.id = id
        self.type = type
        self.function = function
    }

    package struct FunctionDelta: Sendable, Equatable, Codable {
        package var name: String?
        package var arguments: String?

        package init(name: String?, arguments: String?) {
            self.name = name
            self.arguments = arguments
        }
    }
}

/// `response_format`.
package enum ResponseFormat: Sendable, Equatable, Codable {
    case text
    case jsonObject
    case jsonSchema(JSONSchemaFormat)

    package struct JSONSchemaFormat: Sendable, Equatable, Codable {
        package var name: String
        package var description: String?
        package var schema: JSONValue?
        package var strict: Bool?

        package init(name: String, description: String? = nil, schema: JSONValue?, strict: Bool? = nil) {
            self.name = name
            self.description = description
            self.schema = schema
            self.strict = strict
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case jsonSchema = "json_schema"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "text": self = .text
        case "json_object": self = .jsonObject
        case "json_schema": self = .jsonSchema(try container.decode(JSONSchemaFormat.self, forKey: .jsonSchema))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown response_format type \"\(other)\"")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text: try container.encode("text", forKey: .type)
        case .jsonObject: try container.encode("json_object", forKey: .type)
        case .jsonSchema(let format):
            try container.encode("json_schema", forKey: .type)
            try container.encode(format, forKey: .jsonSchema)
        }
    }
}
