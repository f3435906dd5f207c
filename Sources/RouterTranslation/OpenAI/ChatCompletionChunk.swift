/// One streamed chunk, the `data:` of one SSE event.
package typealias ChatCompletionChunk = ChatCompletionEnvelope<ChatCompletionChunkChoice>

extension ChatCompletionEnvelope where ChoiceType == ChatCompletionChunkChoice {
    package typealias Delta = ChatCompletionDelta
}

/// A choice of one streamed chunk: what changed.
package struct ChatCompletionChunkChoice: ChatCompletionEnvelopeChoice {
    package static let object = "chat.completion.chunk"

    package var index: Int
    package var delta: ChatCompletionDelta
    package var finishReason: FinishReason?

    package init(index: Int, delta: ChatCompletionDelta, finishReason: FinishReason? = nil) {
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
        delta = try container.decode(ChatCompletionDelta.self, forKey: .delta)
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
package struct ChatCompletionDelta: Sendable, Equatable, Codable {
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

    /// A delta names its fields as the message it builds up does.
    typealias CodingKeys = ChatCompletionMessage.CodingKeys
}
