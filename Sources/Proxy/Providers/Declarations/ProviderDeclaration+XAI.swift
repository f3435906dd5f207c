extension ProviderDeclaration {
    /// xAI (Grok): Chat Completions and Responses at OpenAI's paths.
    package static let xAI = ProviderDeclaration.openAICompatible(id: "xai", defaultBaseURL: "https://api.x.ai/v1")
}
