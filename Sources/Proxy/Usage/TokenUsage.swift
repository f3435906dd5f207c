/// Tokens one request consumed, read from whichever dialect answered it.
///
/// Each dialect reports usage differently (OpenAI's `usage`, Anthropic's `message_start` and
/// `message_delta`, Gemini's `usageMetadata`, Cohere's `message-end`); the pipeline sees only this.
/// Later usage overrides earlier usage field by field, since every dialect reports running or
/// final totals, never increments.
package struct TokenUsage: Sendable, Equatable {
    package var inputTokens: Int?
    package var outputTokens: Int?

    package init(inputTokens: Int? = nil, outputTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    package var isEmpty: Bool { self.inputTokens == nil && self.outputTokens == nil }

    /// Takes every count `later` knows; keeps the rest.
    package mutating func merge(_ later: TokenUsage) {
        if let input = later.inputTokens { self.inputTokens = input }
        if let output = later.outputTokens { self.outputTokens = output }
    }
}
