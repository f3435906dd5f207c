import Foundation
import NIOHTTP1

/// Azure managed identity: the instance metadata service (VMs, AKS node identity) or the App
/// Service / Functions identity endpoint. Both take the resource (the scope without
/// `/.default`) and answer `expires_in` / `expires_on` as strings.
package struct AzureManagedIdentityTokenSource: AzureTokenSource {
    package enum Endpoint: Sendable {
        /// `GET {base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with
        /// `Metadata: true`.
        case instanceMetadata(base: String)
        /// `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with
        /// `X-IDENTITY-HEADER: {IDENTITY_HEADER}` (never logged).
        case appService(url: String, identityHeader: String)
    }

    let endpoint: Endpoint
    /// A user-assigned identity (`AZURE_CLIENT_ID`); `nil` is the system-assigned one.
    let clientID: String?
    let timeout: Duration
    let caBundle: String?

    package init(endpoint: Endpoint, clientID: String?, timeout: Duration = .seconds(5), caBundle: String? = nil) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.timeout = timeout
        self.caBundle = caBundle
    }

    package var sourceName: String {
        switch self.endpoint {
        case .instanceMetadata: return "managed identity (instance metadata service)"
        case .appService: return "managed identity (App Service IDENTITY_ENDPOINT)"
        }
    }

    package func token(scope: String) async throws(ProxyError) -> AzureAccessToken {
        var query = [("resource", AzureScope.resource(of: scope))]
        if let clientID { query.append(("client_id", clientID)) }
        let url: String
        var headers = [("Metadata", "true"), ("accept", "application/json")]
        switch self.endpoint {
        case .instanceMetadata(let base):
            var base = base
            while base.hasSuffix("/") { base.removeLast() }
            url = base + "/metadata/identity/oauth2/token?" + IdentityHTTPClient.formEncoded([("api-version", "2018-02-01")] + query)
        case .appService(let endpoint, let identityHeader):
            url = endpoint + (endpoint.contains("?") ? "&" : "?") + IdentityHTTPClient.formEncoded([("api-version", "2019-08-01")] + query)
            headers.append(("X-IDENTITY-HEADER", identityHeader))
        }
        let now = Date()
        let answer: IdentityHTTPClient.Answer
        do {
            answer = try await IdentityHTTPClient.withClient(trusting: self.caBundle) { http throws(IdentityHTTPClient.Failure) in
                try await http.send(.GET, url: url, headers: headers, timeout: self.timeout)
            }
        } catch {
            throw .entraTokenUnavailable(source: self.sourceName, reason: error.detailedReason)
        }
        return try AzureTokenResponse.parse(answer, now: now, source: self.sourceName, endpointName: "the identity endpoint")
    }
}
