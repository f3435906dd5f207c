extension ProviderDeclaration {
    /// Cerebras Inference.
    package static let cerebras = ProviderDeclaration.openAICompatible(id: "cerebras", defaultBaseURL: "https://api.cerebras.ai/v1")
}
