package import NIOCore
import WireFormats

extension OpenAIDialect {
    private static let usageKey = UsageObjectKey("usage")

    /// Chat Completions' last chunk (with `stream_options.include_usage`) and Responses'
    /// `response.completed` carry `usage`; every other chunk is skipped after a byte search.
    package func usage(inStreamMessage message: ByteBuffer) -> TokenUsage? {
        Self.usageKey.mayBeIn(message) ? self.usage(inResponseBody: message) : nil
    }

    /// `usage.prompt_tokens`/`completion_tokens` with their `*_details` (Chat Completions,
    /// embeddings) or `input_tokens`/`output_tokens` with theirs (Responses). Cached and reasoning
    /// tokens are parts of the input and output counts, as OpenAI reports them.
    package func usage(inResponseBody body: ByteBuffer) -> TokenUsage? {
        guard let usage = Self.usageKey.counts(in: body) else { return nil }
        let result = TokenUsage(
            inputTokens: usage["prompt_tokens"] ?? usage["input_tokens"],
            outputTokens: usage["completion_tokens"] ?? usage["output_tokens"],
            cacheReadTokens: usage["prompt_tokens_details.cached_tokens"] ?? usage["input_tokens_details.cached_tokens"],
            reasoningTokens: usage["completion_tokens_details.reasoning_tokens"] ?? usage["output_tokens_details.reasoning_tokens"]
        )
        return result.isEmpty ? nil : result
    }
}
