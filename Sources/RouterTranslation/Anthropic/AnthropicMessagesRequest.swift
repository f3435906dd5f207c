package import WireFormats

/// The body of `POST /v1/messages` as this router sends it: only the fields a translated
/// OpenAI request can fill, encoded with Anthropic's names.
package struct AnthropicMessagesRequest: Sendable, Equatable, Encodable {
    package var model: String
    /// Required by Anthropic; see ``AnthropicModelCapabilities/defaultMaxTokens``.
    package var maxTokens: Int
    package var system: AnthropicSystemPrompt?
    package var messages: [AnthropicMessage]
    package var tools: [AnthropicTool]?
    package var toolChoice: AnthropicToolChoice?
    package var stopSequences: [String]?
    package var temperature: Double?
    package var topP: Double?
    package var topK: Int?
    package var stream: Bool?
    package var metadata: Metadata?
    package var thinking: Thinking?

    package struct Metadata: Sendable, Equatable, Encodable {
        package var userId: String
        enum CodingKeys: String, CodingKey { case userId = "user_id" }
    }

    /// Extended thinking: `{"type":"enabled","budget_tokens":N}`, N ≥ 1024 and < max_tokens.
    package struct Thinking: Sendable, Equatable, Encodable {
        package var type = "enabled"
        package var budgetTokens: Int
        enum CodingKeys: String, CodingKey {
            case type
            case budgetTokens = "budget_tokens"
        }
    }

    enum CodingKeys: String, CodingKey {
        case model, system, messages, tools, temperature, stream, metadata, thinking
        case maxTokens = "max_tokens"
        case toolChoice = "tool_choice"
        case stopSequences = "stop_sequences"
        case topP = "top_p"
        case topK = "top_k"
    }
}

/// `system`: a string for one system message, text blocks for several (keeps their boundaries
/// without inventing a separator).
package enum AnthropicSystemPrompt: Sendable, Equatable, Encodable {
    case text(String)
    case blocks([String])

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .blocks(let texts): try container.encode(texts.map { AnthropicContentBlock.text($0) })
        }
    }
}

/// One turn: Anthropic has only `user` and `assistant`.
package struct AnthropicMessage: Sendable, Equatable, Encodable {
    package enum Role: String, Sendable, Equatable, Encodable { case user, assistant }

    package var role: Role
    package var content: [AnthropicContentBlock]

    private enum CodingKeys: String, CodingKey { case role, content }

    /// A lone text block is written as a string (the compact form Anthropic documents).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        if content.count == 1, case .text(let text) = content[0] {
            try container.encode(text, forKey: .content)
        } else {
            try container.encode(content, forKey: .content)
        }
    }
}

/// A request content block.
package enum AnthropicContentBlock: Sendable, Equatable, Encodable {
    case text(String)
    case image(AnthropicSource)
    /// A PDF or plain-text document.
    case document(AnthropicSource, title: String?)
    case toolUse(id: String, name: String, input: JSONValue)
    /// `content` is text and image blocks (a lone text block is written as a string).
    case toolResult(toolUseId: String, content: [AnthropicContentBlock], isError: Bool?)

    private enum CodingKeys: String, CodingKey {
        case type, text, source, title, id, name, input, content
        case toolUseId = "tool_use_id"
        case isError = "is_error"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode(text, forKey: .text)
        case .image(let source):
            try container.encode("image", forKey: .type)
            try container.encode(source, forKey: .source)
        case .document(let source, let title):
            try container.encode("document", forKey: .type)
            try container.encode(source, forKey: .source)
            try container.encodeIfPresent(title, forKey: .title)
        case .toolUse(let id, let name, let input):
            try container.encode("tool_use", forKey: .type)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(input, forKey: .input)
        case .toolResult(let toolUseId, let content, let isError):
            try container.encode("tool_result", forKey: .type)
            try container.encode(toolUseId, forKey: .toolUseId)
            if content.count == 1, case .text(let text) = content[0] {
                try container.encode(text, forKey: .content)
            } else if !content.isEmpty {
                try container.encode(content, forKey: .content)
            }
            try container.encodeIfPresent(isError, forKey: .isError)
        }
    }
}

/// Where an image's or document's bytes come from.
package enum AnthropicSource: Sendable, Equatable, Encodable {
    case base64(mediaType: String, data: String)
    case url(String)
    /// Plain-text document content.
    case text(String)

    private enum CodingKeys: String, CodingKey {
        case type, data, url
        case mediaType = "media_type"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .base64(let mediaType, let data):
            try container.encode("base64", forKey: .type)
            try container.encode(mediaType, forKey: .mediaType)
            try container.encode(data, forKey: .data)
        case .url(let url):
            try container.encode("url", forKey: .type)
            try container.encode(url, forKey: .url)
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode("text/plain", forKey: .mediaType)
            try container.encode(text, forKey: .data)
        }
    }
}

package struct AnthropicTool: Sendable, Equatable, Encodable {
    package var name: String
    package var description: String?
    package var inputSchema: JSONValue

    enum CodingKeys: String, CodingKey {
        case name, description
        case inputSchema = "input_schema"
    }
}

/// `tool_choice`: auto | any | tool(name) | none, with `disable_parallel_tool_use` on the first three.
package struct AnthropicToolChoice: Sendable, Equatable, Encodable {
    package enum Kind: String, Sendable, Equatable, Encodable { case auto, any, tool, none }

    package var type: Kind
    package var name: String?
    package var disableParallelToolUse: Bool?

    enum CodingKeys: String, CodingKey {
        case type, name
        case disableParallelToolUse = "disable_parallel_tool_use"
    }
}
