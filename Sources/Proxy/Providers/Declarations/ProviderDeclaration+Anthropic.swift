extension ProviderDeclaration {
    /// Anthropic's Messages API. The SDK's base URL is the host alone and it appends
    /// `/v1/messages`, so native paths go upstream unchanged. anthropic 0.x/1.x send the key as
    /// `x-api-key`, 2.x as `Authorization: Bearer`; either goes upstream as it came, and the
    /// fallback key goes as `x-api-key`. `anthropic-version` and `anthropic-beta` are ordinary
    /// headers and are forwarded. A Foundry `/anthropic` base URL works as any base URL; with
    /// `ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED` the key is replaced by an Entra ID
    /// bearer token scoped `https://ai.azure.com/.default`.
    package static let anthropic = ProviderDeclaration(
        id: "anthropic",
        dialect: AnthropicDialect(),
        defaultBaseURL: "https://api.anthropic.com",
        baseURLVariables: ["ARCHESTRA_ANTHROPIC_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_ANTHROPIC_API_KEY",
        clientCredentials: [.header("x-api-key"), .authorizationBearer],
        upstreamAuth: .header("x-api-key"),
        makeAuthorizer: { environment throws(ConfigurationError) in
            // Claude on Microsoft Foundry, keyless: an Entra ID token for the Foundry scope.
            guard try environment.flag(ProviderDeclaration.foundryEntraIDVariable) else { return nil }
            let source = try AzureCredentialChain.source(from: environment)
            return EntraBearerAuthorizer(tokens: AzureTokenCache(source: source), keyHeaders: ["x-api-key"]) { _ in AzureScope.aiFoundry }
        },
        modelRouter: .anthropic
    )

    /// `true`: Anthropic on Microsoft Foundry with an Entra ID token instead of a key.
    package static let foundryEntraIDVariable = "ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED"
}
