extension ProviderDeclaration {
    /// ZhipuAI / Z.ai (GLM). The API root is `/api/paas/v4`, which a client may repeat.
    package static let zhipuAI = ProviderDeclaration.openAICompatible(
        id: "zhipuai",
        defaultBaseURL: "https://api.z.ai/api/paas/v4",
        redundantPrefixes: ["/api/paas/v4"]
    )
}
