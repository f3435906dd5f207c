package import WireFormats

/// Cohere v2 `POST /v2/chat` request body, as the Cohere SDK sends it (PROTOCOLS.md §6.1).
///
/// Only the fields the router translates into are modelled; the encoder writes snake_case keys
/// and leaves absent optionals out, so the golden tests can compare the bytes structurally.
package struct CohereChatRequest: Codable, Sendable, Equatable {
    package var model: String
    package var messages: [CohereMessage]
    package var tools: [CohereTool]?
    /// Cohere v2 applies strict tool schemas to every tool at once, not per tool.
    package var strictTools: Bool?
    /// `REQUIRED` or `NONE`; absent means Cohere decides (OpenAI's `auto`).
    package var toolChoice: String?
    package var stopSequences: [String]?
    package var temperature: Double?
    /// Cohere's name for nucleus sampling (OpenAI `top_p`).
    package var p: Double?
    package var maxTokens: Int?
    package var seed: Int?
    package var frequencyPenalty: Double?
    package var presencePenalty: Double?
    package var responseFormat: CohereResponseFormat?
    package var thinking: CohereThinking?
    /// The Cohere SDK always sends `stream` explicitly; so do we.
    package var stream: Bool

    package init(model: String, messages: [CohereMessage], stream: Bool) {
        self.model = model
        self.messages = messages
        self.stream = stream
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, tools, seed, temperature, p, stream, thinking
        case strictTools = "strict_tools"
        case toolChoice = "tool_choice"
        case stopSequences = "stop_sequences"
        case maxTokens = "max_tokens"
        case frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty"
        case responseFormat = "response_format"
    }
}

/// One v2 chat message. Cohere's roles are `system`, `user`, `assistant` and `tool`.
package struct CohereMessage: Codable, Sendable, Equatable {
    package var role: String
    package var content: CohereMessageContent?
    /// Assistant only: the plan the model wrote before calling tools.
    package var toolPlan: String?
    /// Assistant only: same shape as OpenAI's (`id`, `type: function`, `function{name,arguments}`).
    package var toolCalls: [CohereToolCall]?
    /// Tool only: the call this message answers.
    package var toolCallID: String?

    package init(role: String, content: CohereMessageContent?, toolPlan: String? = nil,
                 toolCalls: [CohereToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolPlan = toolPlan
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolPlan = "tool_plan"
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }
}

/// Message content: Cohere accepts a plain string or a list of typed parts.
package enum CohereMessageContent: Codable, Sendable, Equatable {
    case text(String)
    case parts([CohereContentPart])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([CohereContentPart].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

/// A content part: `text`, `image_url` (request) or `thinking` (reasoning models' answers).
package struct CohereContentPart: Codable, Sendable, Equatable {
    package var type: String
    package var text: String?
    package var thinking: String?
    package var imageURL: CohereImageURL?

    package static func text(_ text: String) -> CohereContentPart {
        CohereContentPart(type: "text", text: text)
    }

    package static func image(url: String, detail: String?) -> CohereContentPart {
        CohereContentPart(type: "image_url", imageURL: CohereImageURL(url: url, detail: detail))
    }

    package init(type: String, text: String? = nil, thinking: String? = nil, imageURL: CohereImageURL? = nil) {
        self.type = type
        self.text = text
        self.thinking = thinking
        self.imageURL = imageURL
    }

    enum CodingKeys: String, CodingKey {
        case type, text, thinking
        case imageURL = "image_url"
    }
}

/// Cohere takes both `data:` URLs and http(s) URLs, like OpenAI.
package struct CohereImageURL: Codable, Sendable, Equatable {
    package var url: String
    package var detail: String?
}

package struct CohereTool: Codable, Sendable, Equatable {
    package var type: String
    package var function: CohereFunction

    package struct CohereFunction: Codable, Sendable, Equatable {
        package var name: String
        package var description: String?
        package var parameters: JSONValue?
    }
}

package struct CohereToolCall: Codable, Sendable, Equatable {
    package var id: String
    package var type: String
    package var function: CohereFunctionCall

    package struct CohereFunctionCall: Codable, Sendable, Equatable {
        package var name: String
        /// A JSON document as a string, exactly as OpenAI carries it.
        package var arguments: String
    }
}

/// `{"type":"json_object","json_schema":{...}}`; `json_schema` absent for free-form JSON.
package struct CohereResponseFormat: Codable, Sendable, Equatable {
    package var type: String
    package var jsonSchema: JSONValue?

    enum CodingKeys: String, CodingKey {
        case type
        case jsonSchema = "json_schema"
    }
}

/// Reasoning models' switch: `{"type":"enabled"|"disabled","token_budget":N}`.
package struct CohereThinking: Codable, Sendable, Equatable {
    package var type: String
    package var tokenBudget: Int?

    enum CodingKeys: String, CodingKey {
        case type
        case tokenBudget = "token_budget"
    }
}
