package import HTTPTypes
package import NIOCore
package import NIOHTTP1

/// The request the proxy is about to send upstream, before it becomes an HTTP client request.
///
/// Authorizers see (and may change) it whole: a signer such as SigV4 needs the final URL, headers
/// and body bytes.
package struct UpstreamRequest: Sendable {
    package var method: HTTPMethod
    package var url: String
    package var headers: HTTPHeaders
    package var body: ByteBuffer?

    package init(method: HTTPMethod, url: String, headers: HTTPHeaders, body: ByteBuffer?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What the client sent that may carry its credential.
package struct ClientCredentials: Sendable {
    package let headers: HTTPFields
    package let query: String?

    package init(headers: HTTPFields, query: String?) {
        self.headers = headers
        self.query = query
    }
}

/// Where the upstream credential came from, for the request log.
package enum CredentialSource: String, Sendable {
    /// The client's own key, forwarded.
    case client
    /// The provider's fallback key from the proxy's configuration.
    case fallback
    /// A credential the proxy obtained itself (SigV4, OAuth tokens from workload identity).
    case workloadIdentity = "workload_identity"
    /// None: the provider accepts anonymous requests (self-hosted servers).
    case none
}
