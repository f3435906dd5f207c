/// Tokens one request consumed, read from whichever dialect answered it.
///
/// Each dialect reports usage differently (OpenAI's `usage`, Anthropic's `message_start` and
/// `message_delta`, Gemini's `usageMetadata`, Cohere's `message-end`); the pipeline sees only this.
/// Later usage overrides earlier usage field by field, since every dialect reports running or
/// final totals, never increments.
package struct TokenUsage: Sendable, Equatable {
    /// Input tokens as the dialect reports them (for OpenAI and Gemini this includes cached
    /// tokens; for Anthropic it does not: see ``cacheReadTokens``).
    package var inputTokens: Int?
    package var outputTokens: Int?
    /// Input tokens served from the provider's prompt cache.
    package var cacheReadTokens: Int?
    /// Input tokens written to the provider's prompt cache (Anthropic, Bedrock).
    package var cacheWriteTokens: Int?
    /// Output tokens spent thinking (OpenAI's reasoning tokens, Gemini's thoughts).
    package var reasoningTokens: Int?

    package init(inputTokens: Int? = nil, outputTokens: Int? = nil, cacheReadTokens: Int? = nil, cacheWriteTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
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
