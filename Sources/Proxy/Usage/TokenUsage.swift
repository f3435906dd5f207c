/// Tokens one request consumed, read from whichever dialect answered it.
///
/// Each dialect reports usage differently (OpenAI's `usage`, Anthropic's `message_start` and
/// `message_delta`, Gemini's `usageMetadata`, Cohere's `message-end`); the pipeline sees only this.
/// Later usage overrides earlier usage field by field, since every dialect reports running or
/// final totals, never increments.
package struct TokenUsage: Sendable, Equatable {
    /// Every input token, cached or not, whatever the dialect: OpenAI and Gemini report it so;
    /// Anthropic's and Bedrock's uncached count has their cache reads and writes added. See
    /// ``uncachedInputTokens``.
    package var inputTokens: Int?
    /// Every output token, reasoning included (Gemini's thoughts are added to its candidates).
    package var outputTokens: Int?
    /// The part of ``inputTokens`` served from the provider's prompt cache.
    package var cacheReadTokens: Int?
    /// The part of ``inputTokens`` written to the provider's prompt cache (Anthropic, Bedrock).
    package var cacheWriteTokens: Int?
    /// The part of ``outputTokens`` spent thinking (OpenAI's reasoning tokens, Gemini's thoughts).
    package var reasoningTokens: Int?

    package init(inputTokens: Int? = nil, outputTokens: Int? = nil, cacheReadTokens: Int? = nil, cacheWriteTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
    }

    /// Input tokens neither read from nor written to the cache: what is billed at the input price.
    package var uncachedInputTokens: Int? {
        guard let input = self.inputTokens else { return nil }
        return max(0, input - (self.cacheReadTokens ?? 0) - (self.cacheWriteTokens ?? 0))
    }

    package var isEmpty: Bool {
        self.inputTokens == nil && self.outputTokens == nil && self.cacheReadTokens == nil && self.cacheWriteTokens == nil && self.reasoningTokens == nil
    }

    /// Takes every count `later` knows; keeps the rest.
    package mutating func merge(_ later: TokenUsage) {
        if let input = later.inputTokens { self.inputTokens = input }
        if let output = later.outputTokens { self.outputTokens = output }
        if let cacheRead = later.cacheReadTokens { self.cacheReadTokens = cacheRead }
        if let cacheWrite = later.cacheWriteTokens { self.cacheWriteTokens = cacheWrite }
        if let reasoning = later.reasoningTokens { self.reasoningTokens = reasoning }
    }
}
