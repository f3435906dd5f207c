package import WireFormats

/// An OpenAI Chat Completions request (`POST /chat/completions`), as clients send it.
///
/// Decoding is tolerant: fields this type does not model are kept in ``unknownFields`` so a
/// translator can report them as dropped instead of losing them silently. Encoding writes the
/// modelled fields with OpenAI's names (and the unknown ones back), so a request round-trips.
package struct ChatCompletionRequest: Sendable, Equatable, Codable {
    package var model: String
    package var messages: [ChatMessage]
    package var tools: [ChatTool]?
    package var toolChoice: ToolChoice?
    package var parallelToolCalls: Bool?
    /// `stop` as sent: a string is read as a one-element array.
    package var stop: [String]?
    package var temperature: Double?
    package var topP: Double?
    /// Legacy limit; `maxCompletionTokens` wins when both are set (OpenAI's own rule).
    package var maxTokens: Int?
    package var maxCompletionTokens: Int?
    package var n: Int?
    package var seed: Int?
    package var frequencyPenalty: Double?
    package var presencePenalty: Double?
    package var logprobs: Bool?
    package var topLogprobs: Int?
    package var responseFormat: ResponseFormat?
    /// `none | minimal | low | medium | high | xhigh`, kept as text so new levels still decode.
    package var reasoningEffort: String?
    package var stream: Bool?
    package var streamOptions: StreamOptions?
    package var user: String?
    package var metadata: [String: String]?
    /// Every top-level field not modelled above (`logit_bias`, `modalities`, `audio`,
    /// `prediction`, `service_tier`, `store`, `web_search_options`, vendor extensions…).
    package var unknownFields: [String: JSONValue]

    package init(
        model: String,
        messages: [ChatMessage],
        tools: [ChatTool]? = nil,
        toolChoice: ToolChoice? = nil,
        parallelToolCalls: Bool? = nil,
        stop: [String]? = nil,
        temperature: Double? = nil,
        topP: Double? = nil,
        maxTokens: Int? = nil,
        maxCompletionTokens: Int? = nil,
        n: Int? = nil,
        seed: Int? = nil,
        frequencyPenalty: Double? = nil,
        presencePenalty: Double? = nil,
        logprobs: Bool? = nil,
        topLogprobs: Int? = nil,
        responseFormat: ResponseFormat? = nil,
        reasoningEffort: String? = nil,
        stream: Bool? = nil,
        streamOptions: StreamOptions? = nil,
        user: String? = nil,
        metadata: [String: String]? = nil,
        unknownFields: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
        self.stop = stop
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.maxCompletionTokens = maxCompletionTokens
        self.n = n
        self.seed = seed
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.responseFormat = responseFormat
        self.reasoningEffort = reasoningEffort
        self.stream = stream
        self.streamOptions = streamOptions
        self.user = user
        self.metadata = metadata
        self.unknownFields = unknownFields
    }

    /// Whether the client asked for a stream.
    package var isStreaming: Bool { stream ?? false }

    /// The output-token limit the client asked for: `max_completion_tokens`, else `max_tokens`.
    package var outputTokenLimit: Int? { maxCompletionTokens ?? maxTokens }

    package struct StreamOptions: Sendable, Equatable, Codable {
        package var includeUsage: Bool?

        package init(includeUsage: Bool?) { self.includeUsage = includeUsage }

        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, tools
        case toolChoice = "tool_choice"
        case parallelToolCalls = "parallel_tool_calls"
        case stop, temperature
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case n, seed
        case frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty"
        case logprobs
        case topLogprobs = "top_logprobs"
        case responseFormat = "response_format"
        case reasoningEffort = "reasoning_effort"
        case stream
        case streamOptions = "stream_options"
        case user, metadata
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        messages = try container.decode([ChatMessage].self, forKey: .messages)
        tools = try container.decodeIfPresent([ChatTool].self, forKey: .tools)
        toolChoice = try container.decodeIfPresent(ToolChoice.self, forKey: .toolChoice)
        parallelToolCalls = try container.decodeIfPresent(Bool.self, forKey: .parallelToolCalls)
        if let single = try? container.decodeIfPresent(String.self, forKey: .stop) {
            stop = [single]
        } else {
            stop = try container.decodeIfPresent([String].self, forKey: .stop)
        }
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try container.decodeIfPresent(Double.self, forKey: .topP)
        maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens)
        maxCompletionTokens = try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        seed = try container.decodeIfPresent(Int.self, forKey: .seed)
        frequencyPenalty = try container.decodeIfPresent(Double.self, forKey: .frequencyPenalty)
        presencePenalty = try container.decodeIfPresent(Double.self, forKey: .presencePenalty)
        logprobs = try container.decodeIfPresent(Bool.self, forKey: .logprobs)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        responseFormat = try container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat)
        reasoningEffort = try container.decodeIfPresent(String.self, forKey: .reasoningEffort)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)

        let known = Set(CodingKeys.allCases.map(\.stringValue))
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        var unknown: [String: JSONValue] = [:]
        for key in any.allKeys where !known.contains(key.stringValue) {
            unknown[key.stringValue] = try any.decode(JSONValue.self, forKey: key)
        }
        unknownFields = unknown
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(messages, forKey: .messages)
        try container.encodeIfPresent(tools, forKey: .tools)
        try container.encodeIfPresent(toolChoice, forKey: .toolChoice)
        try container.encodeIfPresent(parallelToolCalls, forKey: .parallelToolCalls)
        try container.encodeIfPresent(stop, forKey: .stop)
        try container.encodeIfPresent(temperature, forKey: .temperature)
        try container.encodeIfPresent(topP, forKey: .topP)
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try container.encodeIfPresent(maxCompletionTokens, forKey: .maxCompletionTokens)
        try container.encodeIfPresent(n, forKey: .n)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encodeIfPresent(frequencyPenalty, forKey: .frequencyPenalty)
        try container.encodeIfPresent(presencePenalty, forKey: .presencePenalty)
        try container.encodeIfPresent(logprobs, forKey: .logprobs)
        try container.encodeIfPresent(topLogprobs, forKey: .topLogprobs)
        try container.encodeIfPresent(responseFormat, forKey: .responseFormat)
        try container.encodeIfPresent(reasoningEffort, forKey: .reasoningEffort)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        var any = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in unknownFields {
            try any.encode(value, forKey: AnyCodingKey(key))
        }
    }
}

extension ChatCompletionRequest {
    /// Unknown top-level fields as dropped content (every translator reports them).
    package var droppedUnknownFields: [DroppedContent] {
        unknownFields.keys.sorted().map { DroppedContent(kind: $0, reason: "not translated to the target provider") }
    }
}
