extension ProviderDeclaration {
    /// Mistral. The `mistralai` SDK's `server_url` is the host root and it prepends `/v1` itself.
    package static let mistral = ProviderDeclaration.openAICompatible(id: "mistral", defaultBaseURL: "https://api.mistral.ai/v1")
}
