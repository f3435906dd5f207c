/// One streamed chunk (`object: "chat.completion.chunk"`), the `data:` of one SSE event.
package struct ChatCompletionChunk: Sendable, Equatable, Codable {
    package var id: String
    package var object: String
    package var created: Int
    package var model: String
    /// Empty for the usage chunk that follows the finish chunk.
    package var choices: [Choice]
    package var usage: Usage?
    package var systemFingerprint: String?

    package init(id: String, created: Int, model: String, choices: [Choice], usage: Usage? = nil, systemFingerprint: String? = nil) {
        self.id = id
        self.object = "chat.completion.chunk"
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
        self.systemFingerprint = systemFingerprint
    }

    package struct Choice: Sendable, Equatable, Codable {
        package var index: Int
        package var delta: Delta
        package var finishReason: FinishReason?

        package init(index: Int, delta: Delta, finishReason: FinishReason? = nil) {
            self.index = index
            self.delta = delta
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decode(Int.self, forKey: .index)
            delta = try container.decode(Delta.self, forKey: .delta)
            finishReason = try container.decodeIfPresent(FinishReason.self, forKey: .finishReason)
        }

        /// `finish_reason` is always written (null until the end), as OpenAI does.
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// What changed; absent fields are omitted.
    package struct Delta: Sendable, Equatable, Codable {
        package var role: String?
        package var content: String?
        package var reasoningContent: String?
        package var toolCalls: [ToolCallDelta]?
        package var refusal: String?

        package init(role: String? = nil, content: String? = nil, reasoningContent: String? = nil, toolCalls: [ToolCallDelta]? = nil, refusal: String? = nil) {
            self.role = role
            self.content = content
            self.reasoningContent = reasoningContent
            self.toolCalls = toolCalls
            self.refusal = refusal
        }

        enum CodingKeys: String, CodingKey {
            case role, content, refusal
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}
