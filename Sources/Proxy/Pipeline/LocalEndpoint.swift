package import AsyncHTTPClient
package import HTTPTypes
package import Logging

/// A provider route the proxy answers itself instead of forwarding, such as Bedrock's model list
/// built from the control plane. Matched on the method and the native path (after the profile
/// id), after the caller is authenticated and the upstream credential chosen, before the body is
/// read.
package protocol LocalEndpoint: Sendable {
    var method: HTTPRequest.Method { get }
    var nativePath: String { get }
    /// `credential` is what the pipeline chose for this provider, as for a forwarded request;
    /// `httpClient` is the proxy's upstream client (it trusts the configured CA bundle). Errors
    /// are ``ProxyError``s, rendered in the provider's dialect like any other.
    func respond(credential: UpstreamCredential, httpClient: HTTPClient, logger: Logger) async throws(ProxyError) -> ProxyResponse
}
