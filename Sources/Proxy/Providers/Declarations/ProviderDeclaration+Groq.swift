extension ProviderDeclaration {
    /// Groq. The `groq` SDK's base URL is the host root and it prepends `/openai/v1` itself.
    package static let groq = ProviderDeclaration.openAICompatible(
        id: "groq",
        defaultBaseURL: "https://api.groq.com/openai/v1",
        redundantPrefixes: ["/openai/v1", "/v1"]
    )
}
