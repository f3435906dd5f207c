extension ProviderDeclaration {
    /// OpenRouter. Its app-attribution headers come from the proxy's configuration, so every client
    /// behind the proxy is attributed to the deployment (a client's own headers are overridden).
    package static let openRouter = ProviderDeclaration.openAICompatible(
        id: "openrouter",
        defaultBaseURL: "https://openrouter.ai/api/v1",
        redundantPrefixes: ["/api/v1", "/v1"],
        configuredHeaders: [
            ConfiguredHeader(name: "HTTP-Referer", variable: "ARCHESTRA_OPENROUTER_REFERER"),
            ConfiguredHeader(name: "X-OpenRouter-Title", variable: "ARCHESTRA_OPENROUTER_TITLE"),
            ConfiguredHeader(name: "X-OpenRouter-Categories", variable: "ARCHESTRA_OPENROUTER_CATEGORIES"),
        ]
    )
}
