import Foundation
import NIOHTTP1
package import WireFormats

/// EC2 instance profiles through IMDSv2: a session token first (`PUT /latest/api/token`), then
/// the role name and its credentials. Every call is bounded by a short timeout, as botocore's is,
/// because off EC2 the address simply does not answer.
package struct AWSInstanceMetadataCredentialProvider: AWSCredentialProvider {
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, default `http://169.254.169.254`.
    let endpoint: String
    let timeout: Duration
    /// Extra CA certificates for an HTTPS endpoint (`ARCHESTRA_UPSTREAM_CA_BUNDLE`, `AWS_CA_BUNDLE`).
    let caBundle: String?

    package var sourceName: String { "EC2 instance metadata (IMDSv2)" }

    package init(endpoint: String, timeout: Duration = .seconds(2), caBundle: String? = nil) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.timeout = timeout
        self.caBundle = caBundle
    }

    package func fetch() async throws(ProxyError) -> SigV4Credentials {
        try await IdentityHTTPClient.withClient(trusting: self.caBundle) { http throws(ProxyError) in
            try await self.fetch(with: http)
        }
    }

    /// The three IMDSv2 calls (session token, role name, the role's credentials) on one client.
    func fetch(with http: IdentityHTTPClient) async throws(ProxyError) -> SigV4Credentials {
        let token = try await self.send(
            .PUT, url: self.endpoint + "/latest/api/token", headers: [("x-aws-ec2-metadata-token-ttl-seconds", "21600")], with: http
        )
        guard token.status == 200, !token.body.isEmpty else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the session token request answered \(token.status)")
        }
        let tokenHeader = [("x-aws-ec2-metadata-token", token.body)]
        let roles = try await self.send(.GET, url: self.endpoint + "/latest/meta-data/iam/security-credentials/", headers: tokenHeader, with: http)
        guard roles.status == 200, let role = roles.body.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "no instance profile role (status \(roles.status))")
        }
        let credentials = try await self.send(.GET, url: self.endpoint + "/latest/meta-data/iam/security-credentials/" + role, headers: tokenHeader, with: http)
        guard credentials.status == 200 else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the role's credentials answered \(credentials.status)")
        }
        return try AWSCredentialJSON.parse(credentials.body, source: self.sourceName)
    }

    func send(
        _ method: HTTPMethod, url: String, headers: [(String, String)], with http: IdentityHTTPClient
    ) async throws(ProxyError) -> IdentityHTTPClient.Answer {
        do {
            return try await http.send(method, url: url, headers: headers, timeout: self.timeout)
        } catch {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: error.reason)
        }
    }
}
