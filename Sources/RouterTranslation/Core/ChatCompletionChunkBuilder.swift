/// Builds the OpenAI chunks of one translated stream, so every translator gets the same
/// invariants for free: one `id`/`created`/`model` for all chunks, `role: "assistant"` on the
/// first chunk (Portkey #1399 shipped streams without it), tool-call deltas with a mandatory
/// `index`, a finish chunk, and the usage chunk (`choices: []`) only when the client asked.
package struct ChatCompletionChunkBuilder: Sendable {
    package let identity: CompletionIdentity
    /// The model the client asked for, echoed as OpenAI does.
    package let model: String
    /// `stream_options.include_usage` of the client's request.
    package let includeUsage: Bool
    /// Whether a chunk has gone out yet (the first one carries the role).
    package private(set) var hasStarted = false
    /// Whether the finish chunk has gone out (a second one would confuse SDK accumulators).
    package private(set) var hasFinished = false

    package init(identity: CompletionIdentity, model: String, includeUsage: Bool) {
        self.identity = identity
        self.model = model
        self.includeUsage = includeUsage
    }

    package init(identity: CompletionIdentity, request: ChatCompletionRequest) {
        self.init(identity: identity, model: request.model, includeUsage: request.streamOptions?.includeUsage ?? false)
    }

    /// The role chunk (`delta: {role: "assistant", content: ""}`), once; empty afterwards.
    /// Translators call it when the upstream announces the message (e.g. `message_start`) so
    /// the client sees the stream open as early as the upstream does.
    package mutating func start() -> [ChatCompletionChunk] {
        guard !hasStarted else { return [] }
        hasStarted = true
        return [chunk(delta: ChatCompletionChunk.Delta(role: "assistant", content: ""))]
    }

    /// A text delta (after the role chunk if none went out yet).
    package mutating func content(_ text: String) -> [ChatCompletionChunk] {
        emit(ChatCompletionChunk.Delta(content: text))
    }

    /// A reasoning (thinking) delta, surfaced as `reasoning_content` as DeepSeek and vLLM do.
    package mutating func reasoning(_ text: String) -> [ChatCompletionChunk] {
        emit(ChatCompletionChunk.Delta(reasoningContent: text))
    }

    /// The first delta of a tool call: index, id, type, name and empty arguments (the SDK's
    /// stream accumulator needs all of them on the first delta).
    package mutating func toolCallStart(index: Int, id: String, name: String) -> [ChatCompletionChunk] {
        let call = ToolCallDelta(index: index, id: id, type: "function", function: .init(name: name, arguments: ""))
        return emit(ChatCompletionChunk.Delta(toolCalls: [call]))
    }

    /// A fragment of a tool call's arguments; empty fragments are skipped.
    package mutating func toolCallArguments(index: Int, fragment: String) -> [ChatCompletionChunk] {
        guard !fragment.isEmpty else { return [] }
        let call = ToolCallDelta(index: index, id: nil, type: nil, function: .init(name: nil, arguments: fragment))
        return emit(ChatCompletionChunk.Delta(toolCalls: [call]))
    }

    /// The closing chunks: the finish chunk, then the usage chunk when the client asked and
    /// `usage` is known. Emits the role chunk first if the stream was empty. Idempotent.
    package mutating func finish(reason: FinishReason, usage: Usage?) -> [ChatCompletionChunk] {
        guard !hasFinished else { return [] }
        var chunks = start()
        hasFinished = true
        chunks.append(chunk(delta: ChatCompletionChunk.Delta(), finishReason: reason))
        if includeUsage, let usage {
            chunks.append(usageChunk(usage))
        }
        return chunks
    }

    /// A chunk with `choices: []` and `usage`, as OpenAI sends after the finish chunk.
    package func usageChunk(_ usage: Usage) -> ChatCompletionChunk {
        ChatCompletionChunk(id: identity.id, created: identity.created, model: model, choices: [], usage: usage)
    }

    private mutating func emit(_ delta: ChatCompletionChunk.Delta) -> [ChatCompletionChunk] {
        if hasStarted { return [chunk(delta: delta)] }
        hasStarted = true
        var first = delta
        first.role = "assistant"
        return [chunk(delta: first)]
    }

    private func chunk(delta: ChatCompletionChunk.Delta, finishReason: FinishReason? = nil) -> ChatCompletionChunk {
        ChatCompletionChunk(
            id: identity.id, created: identity.created, model: model,
            choices: [ChatCompletionChunk.Choice(index: 0, delta: delta, finishReason: finishReason)]
        )
    }
}
