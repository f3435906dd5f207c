extension ProviderDeclaration {
    /// Azure OpenAI with API keys, at a resource URL (`https://<r>.openai.azure.com/openai`,
    /// deployment paths and `api-version`) or a Foundry v1 URL
    /// (`https://<r>.services.ai.azure.com/openai/v1`, OpenAI's paths); see
    /// ``AzureOpenAIURLResolver``. Azure takes the key in `api-key`; OpenAI clients send it as a
    /// bearer token, which is re-sent as `api-key`. With `ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED`
    /// keyless instead: an Entra ID bearer token (``EntraBearerAuthorizer``), scoped per URL form.
    package static let azureOpenAI = ProviderDeclaration(
        id: "azure",
        dialect: OpenAIDialect(),
        defaultBaseURL: nil,
        baseURLVariables: ["ARCHESTRA_AZURE_OPENAI_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_AZURE_OPENAI_API_KEY",
        clientCredentials: [.header("api-key"), .authorizationBearer],
        upstreamAuth: .header("api-key"),
        forwardsClientCredentialAsSent: false,
        upstreamURL: AzureOpenAIURLResolver(),
        makeAuthorizer: { environment throws(ConfigurationError) in
            // Keyless: a bearer token from the Azure credential chain replaces every key.
            guard try environment.flag(AzureOpenAIURLResolver.entraIDVariable) else { return nil }
            let source = try AzureCredentialChain.source(from: environment)
            return EntraBearerAuthorizer(tokens: AzureTokenCache(source: source), keyHeaders: ["api-key"]) { url in
                AzureScope.forAzureOpenAI(url: url)
            }
        },
        modelRouter: .openAIWireWithResponses
    )
}
