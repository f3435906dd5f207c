package import WireFormats

/// A whole Messages answer (`type: "message"`), and the `message` of a stream's `message_start`.
package struct AnthropicMessagesResponse: Sendable, Equatable, Decodable {
    package var id: String?
    package var model: String?
    package var content: [AnthropicResponseBlock]
    package var stopReason: String?
    package var usage: AnthropicUsage?

    enum CodingKeys: String, CodingKey {
        case id, model, content, usage
        case stopReason = "stop_reason"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        content = try container.decodeIfPresent([AnthropicResponseBlock].self, forKey: .content) ?? []
        stopReason = try container.decodeIfPresent(String.self, forKey: .stopReason)
        usage = try container.decodeIfPresent(AnthropicUsage.self, forKey: .usage)
    }
}

/// A content block of an answer (or a stream's `content_block_start`).
package enum AnthropicResponseBlock: Sendable, Equatable, Decodable {
    case text(String)
    case thinking(String)
    /// Encrypted thinking: nothing a client can read.
    case redactedThinking
    case toolUse(id: String, name: String, input: JSONValue)
    /// Server tools, citations and whatever comes next: skipped, by type.
    case other(type: String)

    private enum CodingKeys: String, CodingKey { case type, text, thinking, id, name, input }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text":
            self = .text(try container.decodeIfPresent(String.self, forKey: .text) ?? "")
        case "thinking":
            self = .thinking(try container.decodeIfPresent(String.self, forKey: .thinking) ?? "")
        case "redacted_thinking":
            self = .redactedThinking
        case "tool_use":
            self = .toolUse(
                id: try container.decode(String.self, forKey: .id),
                name: try container.decode(String.self, forKey: .name),
                input: try container.decodeIfPresent(JSONValue.self, forKey: .input) ?? .object([:])
            )
        default:
            self = .other(type: type)
        }
    }
}

/// Anthropic usage. `input_tokens` excludes cache reads and writes, unlike OpenAI's
/// `prompt_tokens`, which includes cached tokens: the translation adds them back.
package struct AnthropicUsage: Sendable, Equatable, Decodable {
    package var inputTokens: Int?
    package var outputTokens: Int?
    package var cacheCreationInputTokens: Int?
    package var cacheReadInputTokens: Int?

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheCreationInputTokens = "cache_creation_input_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
    }

    /// Later values win (a stream's `message_delta` usage is cumulative and may repeat input counts).
    package mutating func merge(_ later: AnthropicUsage) {
        inputTokens = later.inputTokens ?? inputTokens
        outputTokens = later.outputTokens ?? outputTokens
        cacheCreationInputTokens = later.cacheCreationInputTokens ?? cacheCreationInputTokens
        cacheReadInputTokens = later.cacheReadInputTokens ?? cacheReadInputTokens
    }

    /// OpenAI usage: prompt = input + cache reads + cache writes; `cached_tokens` = cache reads.
    package var openAIUsage: Usage {
        let cacheRead = cacheReadInputTokens ?? 0
        let prompt = (inputTokens ?? 0) + cacheRead + (cacheCreationInputTokens ?? 0)
        return Usage(promptTokens: prompt, completionTokens: outputTokens ?? 0, cachedTokens: cacheRead)
    }
}

/// `{"type":"error","error":{"type","message"},"request_id"}`: error responses and the stream's
/// `error` event.
package struct AnthropicErrorBody: Sendable, Equatable, Decodable {
    package var error: Detail

    package struct Detail: Sendable, Equatable, Decodable {
        package var type: String
        package var message: String
    }
}
