/// Puts the credential on an upstream request: the pipeline step "credentials for the upstream".
///
/// One implementation per way of authenticating (a static key, SigV4 signing, OAuth tokens from
/// a credential chain). Implementations that fetch credentials cache them and share one refresh
/// between concurrent requests. Errors are ``ProxyError``s whose messages name the credential
/// source that failed and never contain a secret.
package protocol UpstreamAuthorizer: Sendable {
    /// Whether the authorizer obtains the upstream credential itself (cloud IAM: SigV4, Entra ID,
    /// Google ADC), ignoring any key. Such upstreams are *keyless*: a client needs a gateway
    /// credential to use them (``UpstreamKeySelectionStep``).
    var obtainsOwnCredentials: Bool { get }

    /// Whether the authorizer reads the body's bytes (a signature over the payload), so the
    /// pipeline must collect it rather than stream it upstream.
    var signsRequestBody: Bool { get }

    /// Runs after the body is read and the URL resolved, so signers can cover both.
    func authorize(_ request: inout UpstreamRequest, credential: UpstreamCredential) async throws(ProxyError) -> CredentialSource
}

extension UpstreamAuthorizer {
    package var obtainsOwnCredentials: Bool { false }
    package var signsRequestBody: Bool { false }
}
