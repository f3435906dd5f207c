package import WireFormats

/// The credential the pipeline chose for the upstream call, before an authorizer puts it on the
/// request in the provider's form.
package enum UpstreamCredential: Sendable {
    /// The client's own provider key: forwarded in the form it came in (pass-through).
    case client(ClientCredentials)
    /// A provider key from the store: the one a virtual key or OAuth client maps for this
    /// provider, or the provider's primary key when the client sent none. Sent in the provider's
    /// form; the client's credential (a virtual key, a token) never goes upstream.
    case stored(Secret, source: CredentialSource)
    /// None: an authorizer that obtains its own credentials (SigV4, Entra, Google ADC) or a
    /// provider that accepts anonymous requests decides.
    case none
}

/// Where the upstream credential came from, for the request log.
package enum CredentialSource: String, Sendable {
    /// The client's own provider key, forwarded.
    case client
    /// The provider's primary key, used because the client sent no credential.
    case fallback
    /// The provider key a virtual key maps.
    case virtualKey = "virtual_key"
    /// The provider key an OAuth client maps (or the primary key it defaults to).
    case oauthClient = "oauth_client"
    /// A credential the proxy obtained itself (SigV4, OAuth tokens from workload identity).
    case workloadIdentity = "workload_identity"
    /// None: the provider accepts anonymous requests (self-hosted servers).
    case none
}
