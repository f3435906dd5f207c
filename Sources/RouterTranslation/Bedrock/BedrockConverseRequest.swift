package import WireFormats

/// The body of `POST /model/<model id>/converse` and `/converse-stream`. The model id travels in
/// the path, not here. Optionals left `nil` are not encoded.
package struct BedrockConverseRequest: Codable, Sendable, Equatable {
    package var messages: [BedrockMessage]
    package var system: [BedrockSystemBlock]?
    package var inferenceConfig: BedrockInferenceConfig?
    package var toolConfig: BedrockToolConfig?
    /// Model-specific fields Converse passes through (Anthropic's `thinking`, for instance).
    package var additionalModelRequestFields: JSONValue?

    package init(
        messages: [BedrockMessage], system: [BedrockSystemBlock]? = nil, inferenceConfig: BedrockInferenceConfig? = nil,
        toolConfig: BedrockToolConfig? = nil, additionalModelRequestFields: JSONValue? = nil
    ) {
        self.messages = messages
        self.system = system
        self.inferenceConfig = inferenceConfig
        self.toolConfig = toolConfig
        self.additionalModelRequestFields = additionalModelRequestFields
    }
}

/// `role` is `user` or `assistant`; Converse requires the two to alternate and the first to be `user`.
package struct BedrockMessage: Codable, Sendable, Equatable {
    package var role: String
    package var content: [BedrockContentBlock]

    package init(role: String, content: [BedrockContentBlock]) {
        self.role = role
        self.content = content
    }
}

package struct BedrockSystemBlock: Codable, Sendable, Equatable {
    package var text: String

    package init(text: String) { self.text = text }
}

/// A content block is a union: exactly one member is set.
package struct BedrockContentBlock: Codable, Sendable, Equatable {
    package var text: String?
    package var image: BedrockImageBlock?
    package var document: BedrockDocumentBlock?
    package var toolUse: BedrockToolUseBlock?
    package var toolResult: BedrockToolResultBlock?
    package var reasoningContent: BedrockReasoningContentBlock?

    package init(
        text: String? = nil, image: BedrockImageBlock? = nil, document: BedrockDocumentBlock? = nil,
        toolUse: BedrockToolUseBlock? = nil, toolResult: BedrockToolResultBlock? = nil,
        reasoningContent: BedrockReasoningContentBlock? = nil
    ) {
        self.text = text
        self.image = image
        self.document = document
        self.toolUse = toolUse
        self.toolResult = toolResult
        self.reasoningContent = reasoningContent
    }

    package static func text(_ text: String) -> BedrockContentBlock { BedrockContentBlock(text: text) }
}

/// Raw bytes (base64 in JSON). Converse takes no image URLs except S3 locations.
package struct BedrockBytesSource: Codable, Sendable, Equatable {
    package var bytes: String

    package init(bytes: String) { self.bytes = bytes }
}

/// `format` is `png`, `jpeg`, `gif` or `webp`.
package struct BedrockImageBlock: Codable, Sendable, Equatable {
    package var format: String
    package var source: BedrockBytesSource

    package init(format: String, source: BedrockBytesSource) {
        self.format = format
        self.source = source
    }
}

/// `format` is one of `pdf, csv, doc, docx, xls, xlsx, html, txt, md`; `name` is required and
/// may hold only letters, digits, single spaces, hyphens, parentheses and square brackets.
package struct BedrockDocumentBlock: Codable, Sendable, Equatable {
    package var format: String
    package var name: String
    package var source: BedrockBytesSource

    package init(format: String, name: String, source: BedrockBytesSource) {
        self.format = format
        self.name = name
        self.source = source
    }
}

/// `input` is a JSON value (an object for tools with object schemas), not a string.
package struct BedrockToolUseBlock: Codable, Sendable, Equatable {
    package var toolUseId: String
    package var name: String
    package var input: JSONValue

    package init(toolUseId: String, name: String, input: JSONValue) {
        self.toolUseId = toolUseId
        self.name = name
        self.input = input
    }
}

package struct BedrockToolResultBlock: Codable, Sendable, Equatable {
    package var toolUseId: String
    package var content: [BedrockToolResultContent]
    /// `success` or `error`; only some models (Claude) read it.
    package var status: String?

    package init(toolUseId: String, content: [BedrockToolResultContent], status: String? = nil) {
        self.toolUseId = toolUseId
        self.content = content
        self.status = status
    }
}

package struct BedrockToolResultContent: Codable, Sendable, Equatable {
    package var text: String?
    package var json: JSONValue?
    package var image: BedrockImageBlock?

    package init(text: String? = nil, json: JSONValue? = nil, image: BedrockImageBlock? = nil) {
        self.text = text
        self.json = json
        self.image = image
    }
}

/// A reasoning block: the text with its signature (which Claude needs back, unchanged, in the
/// next turn when thinking and tools are combined), or an encrypted `redactedContent`.
package struct BedrockReasoningContentBlock: Codable, Sendable, Equatable {
    package struct ReasoningText: Codable, Sendable, Equatable {
        package var text: String
        package var signature: String?

        package init(text: String, signature: String? = nil) {
            self.text = text
            self.signature = signature
        }
    }

    package var reasoningText: ReasoningText?
    package var redactedContent: String?

    package init(reasoningText: ReasoningText? = nil, redactedContent: String? = nil) {
        self.reasoningText = reasoningText
        self.redactedContent = redactedContent
    }
}

package struct BedrockInferenceConfig: Codable, Sendable, Equatable {
    package var maxTokens: Int?
    package var temperature: Double?
    package var topP: Double?
    package var stopSequences: [String]?

    package init(maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil, stopSequences: [String]? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.stopSequences = stopSequences
    }

    package var isEmpty: Bool { self == BedrockInferenceConfig() }
}

package struct BedrockToolConfig: Codable, Sendable, Equatable {
    package var tools: [BedrockTool]
    package var toolChoice: BedrockToolChoice?

    package init(tools: [BedrockTool], toolChoice: BedrockToolChoice? = nil) {
        self.tools = tools
        self.toolChoice = toolChoice
    }
}

package struct BedrockTool: Codable, Sendable, Equatable {
    package struct ToolSpec: Codable, Sendable, Equatable {
        package struct InputSchema: Codable, Sendable, Equatable {
            package var json: JSONValue

            package init(json: JSONValue) { self.json = json }
        }

        package var name: String
        package var description: String?
        package var inputSchema: InputSchema

        package init(name: String, description: String?, inputSchema: InputSchema) {
            self.name = name
            self.description = description
            self.inputSchema = inputSchema
        }
    }

    package var toolSpec: ToolSpec

    package init(toolSpec: ToolSpec) { self.toolSpec = toolSpec }
}

/// `{"auto":{}}`, `{"any":{}}` or `{"tool":{"name":"…"}}`: a union keyed by the member's name.
package enum BedrockToolChoice: Codable, Sendable, Equatable {
    case auto
    case any
    case tool(name: String)

    private enum CodingKeys: String, CodingKey { case auto, any, tool }
    private struct Empty: Codable {}
    private struct Named: Codable { var name: String }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let named = try container.decodeIfPresent(Named.self, forKey: .tool) {
            self = .tool(name: named.name)
        } else if container.contains(.any) {
            self = .any
        } else if container.contains(.auto) {
            self = .auto
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "toolChoice has none of auto, any, tool"))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .auto: try container.encode(Empty(), forKey: .auto)
        case .any: try container.encode(Empty(), forKey: .any)
        case .tool(let name): try container.encode(Named(name: name), forKey: .tool)
        }
    }
}
