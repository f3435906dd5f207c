/// Tokens an upstream reports for one request, read only where a dialect knows where they are
/// (Bedrock's `metadata` stream event and Converse `usage`), for the request log.
package struct TokenUsage: Sendable, Equatable {
    package var inputTokens: Int
    package var outputTokens: Int

    package init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}
