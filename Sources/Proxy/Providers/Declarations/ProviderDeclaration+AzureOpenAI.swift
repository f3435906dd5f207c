extension ProviderDeclaration {
    /// Azure OpenAI with API keys, at a resource URL (`https://<r>.openai.azure.com/openai`,
    /// deployment paths and `api-version`) or a Foundry v1 URL
    /// (`https://<r>.services.ai.azure.com/openai/v1`, OpenAI's paths); see
    /// ``AzureOpenAIURLResolver``. Azure takes the key in `api-key`; OpenAI clients send it as a
    /// bearer token, which is re-sent as `api-key`.
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
            // Entra ID is the seam for a later release: refuse the flag rather than silently
            // sending API keys to a deployment that expects tokens.
            if try environment.flag(AzureOpenAIURLResolver.entraIDVariable) {
                throw ConfigurationError(
                    variable: AzureOpenAIURLResolver.entraIDVariable,
                    problem: "is not supported yet: this build authenticates to Azure OpenAI with API keys only"
                )
            }
            return nil
        }
    )
}
