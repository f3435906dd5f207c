/// `finish_reason` of a choice.
package enum FinishReason: String, Sendable, Equatable, Codable {
    case stop
    case length
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
    case functionCall = "function_call"
}

/// A chat completion (`object: "chat.completion"`) or one streamed chunk of it
/// (`object: "chat.completion.chunk"`, the `data:` of one SSE event). OpenAI writes both in one
/// envelope that differs only in `object` and in what a choice carries, so one type serves both
/// and a field added to one cannot be missed in the other.
package struct ChatCompletionEnvelope<ChoiceType: ChatCompletionEnvelopeChoice>: Sendable, Equatable, Codable {
    /// A generic parameter is not a member type: this lets callers write `ChatCompletion.Choice`.
    package typealias Choice = ChoiceType

    package var id: String
    package var object: String
    package var created: Int
    package var model: String
    /// Empty for the usage chunk that follows a stream's finish chunk.
    package var choices: [Choice]
    package var usage: Usage?
    package var systemFingerprint: String?

    package init(id: String, created: Int, model: String, choices: [Choice], usage: Usage? = nil, systemFingerprint: String? = nil) {
        self.id = id
        self.object = Choice.object
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
        self.systemFingerprint = systemFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}

/// What a choice is, for the envelope: it names the envelope's `object`.
package protocol ChatCompletionEnvelopeChoice: Sendable, Equatable, Codable {
    static var object: String { get }
}

/// A whole chat completion.
package typealias ChatCompletion = ChatCompletionEnvelope<ChatCompletionChoice>

extension ChatCompletionEnvelope where ChoiceType == ChatCompletionChoice {
    package typealias Message = ChatCompletionMessage

    package init(identity: CompletionIdentity, model: String, message: Message, finishReason: FinishReason?, usage: Usage?) {
        self.init(
            id: identity.id, created: identity.created, model: model,
            choices: [Choice(index: 0, message: message, finishReason: finishReason)], usage: usage
        )
    }
}

/// A choice of a whole completion: the assistant message.
package struct ChatCompletionChoice: ChatCompletionEnvelopeChoice {
    package static let object = "chat.completion"

    package var index: Int
    package var message: ChatCompletionMessage
    package var finishReason: FinishReason?

    package init(index: Int, message: ChatCompletionMessage, finishReason: FinishReason?) {
        self.index = index
        self.message = message
        self.finishReason = finishReason
    }

    enum CodingKeys: String, CodingKey {
        case index, message, logprobs
        case finishReason = "finish_reason"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        message = try container.decode(ChatCompletionMessage.self, forKey: .message)
        finishReason = try container.decodeIfPresent(FinishReason.self, forKey: .finishReason)
    }

    /// `finish_reason` and `logprobs` are always written (null when absent), as OpenAI does.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(message, forKey: .message)
        try container.encode(finishReason, forKey: .finishReason)
        try container.encodeNil(forKey: .logprobs)
    }
}

/// The assistant message of a choice.
package struct ChatCompletionMessage: Sendable, Equatable, Codable {
    package var role: String
    /// null when the answer is only tool calls (always written, as OpenAI does).
    package var content: String?
    /// Thinking / reasoning text, as DeepSeek and vLLM name it.
    package var reasoningContent: String?
    package var toolCalls: [ToolCall]?
    package var refusal: String?

    package init(content: String?, reasoningContent: String? = nil, toolCalls: [ToolCall]? = nil, refusal: String? = nil) {
        self.role = "assistant"
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

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        content = try container.decodeIfPresent(String.self, forKey: .content)
        reasoningContent = try container.decodeIfPresent(String.self, forKey: .reasoningContent)
        toolCalls = try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls)
        refusal = try container.decodeIfPresent(String.self, forKey: .refusal)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try container.encode(refusal, forKey: .refusal)
        try container.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
        try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
    }
}
