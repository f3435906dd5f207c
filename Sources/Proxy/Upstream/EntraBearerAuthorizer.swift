import NIOHTTP1

/// Keyless Azure: `Authorization: Bearer <Entra ID token>` from the Azure credential chain, in
/// place of any API key (Azure OpenAI with `ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED`, Anthropic on
/// Foundry with `ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED`).
///
/// The scope is chosen per upstream URL (Azure OpenAI's Foundry v1 URLs need
/// `https://ai.azure.com/.default`, its resource URLs `https://cognitiveservices.azure.com/.default`).
/// Client keys are not forwarded: the credential headers are the authorizer's, and it sets only
/// the bearer token.
package struct EntraBearerAuthorizer: UpstreamAuthorizer {
    let tokens: AzureTokenCache
    let scope: @Sendable (_ upstreamURL: String) -> String
    /// Key headers the provider would otherwise use (`api-key`, `x-api-key`), removed so a key
    /// never travels beside the token.
    let keyHeaders: [String]

    package init(tokens: AzureTokenCache, keyHeaders: [String], scope: @escaping @Sendable (String) -> String) {
        self.tokens = tokens
        self.keyHeaders = keyHeaders
        self.scope = scope
    }

    package var obtainsOwnCredentials: Bool { true }

    package func authorize(_ request: inout UpstreamRequest, credential: UpstreamCredential) async throws(ProxyError) -> CredentialSource {
        let token = try await self.tokens.token(scope: self.scope(request.url))
        for name in self.keyHeaders { request.headers.remove(name: name) }
        request.headers.replaceOrAdd(name: "authorization", value: "Bearer \(token.token)")
        return .workloadIdentity
    }
}
