/// Puts the credential on an upstream request: the pipeline step "credentials for the upstream".
///
/// One implementation per way of authenticating (a static key, SigV4 signing, OAuth tokens from
/// a credential chain). Implementations that fetch credentials cache them and share one refresh
/// between concurrent requests. Errors are ``ProxyError``s whose messages name the credential
/// source that failed and never contain a secret.
package protocol UpstreamAuthorizer: Sendable {
    /// Runs after the body is read and the URL resolved, so signers can cover both.
    func authorize(_ request: inout UpstreamRequest, client: ClientCredentials) async throws(ProxyError) -> CredentialSource
}
