/// Pipeline step "credentials for the upstream", second half: the provider's authorizer puts the
/// chosen credential on the request in the provider's form (a key header, a SigV4 signature, a
/// cloud identity token).
package struct AuthorizeUpstreamStep: Sendable {
    package init() {}

    package func authorize(_ request: inout UpstreamRequest, exchange: inout ProxyExchange) async throws(ProxyError) {
        exchange.record.credentialSource = try await exchange.provider.authorizer.authorize(&request, credential: exchange.upstreamKey.credential)
    }
}
