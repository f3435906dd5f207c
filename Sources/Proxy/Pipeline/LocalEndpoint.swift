package import AsyncHTTPClient
package import Hummingbird
package import Logging

/// A provider route the proxy answers itself instead of forwarding, such as Bedrock's model list
/// built from the control plane. Matched on the method and the native path (after the profile
/// id), before the body is read or the upstream is resolved.
package protocol LocalEndpoint: Sendable {
    var method: HTTPRequest.Method { get }
    var nativePath: String { get }
    /// `httpClient` is the proxy's upstream client (it trusts the configured CA bundle). Errors are ``ProxyError``s, rendered in the provider's dialect like any other.
    func respond(client: ClientCredentials, httpClient: HTTPClient, logger: Logger) async throws(ProxyError) -> Response
}
