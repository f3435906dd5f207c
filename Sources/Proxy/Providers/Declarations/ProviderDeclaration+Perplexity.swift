extension ProviderDeclaration {
    /// Perplexity (Sonar). Its API has no `/v1`: `https://api.perplexity.ai/chat/completions`.
    package static let perplexity = ProviderDeclaration.openAICompatible(
        id: "perplexity",
        defaultBaseURL: "https://api.perplexity.ai",
        redundantPrefixes: []
    )
}
