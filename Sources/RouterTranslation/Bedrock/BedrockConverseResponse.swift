/// The answer of `/converse`: `{"output":{"message":…},"stopReason","usage","metrics"}`.
package struct BedrockConverseResponse: Codable, Sendable, Equatable {
    package struct Output: Codable, Sendable, Equatable {
        package var message: BedrockMessage?

        package init(message: BedrockMessage?) { self.message = message }
    }

    package var output: Output?
    /// `end_turn, tool_use, max_tokens, stop_sequence, guardrail_intervened, content_filtered,
    /// malformed_model_output, malformed_tool_use, model_context_window_exceeded`.
    package var stopReason: String?
    package var usage: BedrockTokenUsage?

    package init(output: Output?, stopReason: String?, usage: BedrockTokenUsage?) {
        self.output = output
        self.stopReason = stopReason
        self.usage = usage
    }
}

/// `inputTokens` excludes cached tokens: the OpenAI `prompt_tokens` is input + cache read + cache write.
package struct BedrockTokenUsage: Codable, Sendable, Equatable {
    package var inputTokens: Int?
    package var outputTokens: Int?
    package var totalTokens: Int?
    package var cacheReadInputTokens: Int?
    package var cacheWriteInputTokens: Int?

    package init(
        inputTokens: Int? = nil, outputTokens: Int? = nil, totalTokens: Int? = nil, cacheReadInputTokens: Int? = nil,
        cacheWriteInputTokens: Int? = nil
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.cacheReadInputTokens = cacheReadInputTokens
        self.cacheWriteInputTokens = cacheWriteInputTokens
    }
}

/// AWS's JSON error body. Bedrock writes `message`; some services (and the `__type` fallback
/// botocore reads) use `Message` and `__type`, so both spellings are read.
package struct BedrockErrorBody: Decodable, Sendable, Equatable {
    package var message: String?
    package var type: String?

    private enum CodingKeys: String, CodingKey {
        case message, capitalizedMessage = "Message", type = "__type", code
    }

    package init(message: String?, type: String?) {
        self.message = message
        self.type = type
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.message =
            try container.decodeIfPresent(String.self, forKey: .message)
            ?? container.decodeIfPresent(String.self, forKey: .capitalizedMessage)
        self.type =
            try container.decodeIfPresent(String.self, forKey: .type)
            ?? container.decodeIfPresent(String.self, forKey: .code)
    }
}
