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
        let timeout = AWSIdentityHTTP.timeAmount(self.timeout)
        let token = try await AWSIdentityHTTP.send(
            .PUT, url: self.endpoint + "/latest/api/token", headers: [("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
            timeout: timeout, caBundle: self.caBundle, source: self.sourceName
        )
        guard token.status == 200, !token.body.isEmpty else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the session token request answered \(token.status)")
        }
        let tokenHeader = [("x-aws-ec2-metadata-token", token.body)]
        let roles = try await AWSIdentityHTTP.send(
            .GET, url: self.endpoint + "/latest/meta-data/iam/security-credentials/", headers: tokenHeader, timeout: timeout, caBundle: self.caBundle, source: self.sourceName
        )
        guard roles.status == 200, let role = roles.body.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "no instance profile role (status \(roles.status))")
        }
        let credentials = try await AWSIdentityHTTP.send(
            .GET, url: self.endpoint + "/latest/meta-data/iam/security-credentials/" + role, headers: tokenHeader, timeout: timeout, caBundle: self.caBundle, source: self.sourceName
        )
        guard credentials.status == 200 else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the role's credentials answered \(credentials.status)")
        }
        return try AWSCredentialJSON.parse(credentials.body, source: self.sourceName)
    }
}
