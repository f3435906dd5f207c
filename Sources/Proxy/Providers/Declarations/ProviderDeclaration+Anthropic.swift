extension ProviderDeclaration {
    /// Anthropic's Messages API. The SDK's base URL is the host alone and it appends
    /// `/v1/messages`, so native paths go upstream unchanged. anthropic 0.x/1.x send the key as
    /// `x-api-key`, 2.x as `Authorization: Bearer`; either goes upstream as it came, and the
    /// fallback key goes as `x-api-key`. `anthropic-version` and `anthropic-beta` are ordinary
    /// headers and are forwarded.
    package static let anthropic = ProviderDeclaration(
        id: "anthropic",
        dialect: AnthropicDialect(),
        defaultBaseURL: "https://api.anthropic.com",
        baseURLVariables: ["ARCHESTRA_ANTHROPIC_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_ANTHROPIC_API_KEY",
        clientCredentials: [.header("x-api-key"), .authorizationBearer],
        upstreamAuth: .header("x-api-key")
    )
}
