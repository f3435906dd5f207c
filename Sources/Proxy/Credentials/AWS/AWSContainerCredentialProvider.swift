import Foundation
import NIOHTTP1
package import WireFormats

/// ECS task roles and EKS Pod Identity: `GET` on `AWS_CONTAINER_CREDENTIALS_FULL_URI` (or
/// `http://169.254.170.2` + `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`), with
/// `Authorization: <token>` from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read each time) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
package struct AWSContainerCredentialProvider: AWSCredentialProvider {
    let url: String
    /// A `Secret`, so that printing the provider never shows it.
    let authorizationToken: Secret?
    let authorizationTokenFile: String?
    let timeout: Duration
    /// Extra CA certificates for an HTTPS endpoint (`ARCHESTRA_UPSTREAM_CA_BUNDLE`, `AWS_CA_BUNDLE`).
    let caBundle: String?

    package var sourceName: String { "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)" }

    package init(url: String, authorizationToken: String?, authorizationTokenFile: String?, timeout: Duration = .seconds(2), caBundle: String? = nil) {
        self.url = url
        self.authorizationToken = authorizationToken.map(Secret.init)
        self.authorizationTokenFile = authorizationTokenFile
        self.timeout = timeout
        self.caBundle = caBundle
    }

    package func fetch() async throws(ProxyError) -> SigV4Credentials {
        var headers = [("accept", "application/json")]
        if let file = self.authorizationTokenFile {
            guard let data = FileManager.default.contents(atPath: file), let token = String(data: data, encoding: .utf8) else {
                throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read")
            }
            headers.append(("authorization", token.trimmingCharacters(in: .whitespacesAndNewlines)))
        } else if let token = self.authorizationToken {
            headers.append(("authorization", token.exposedValue))
        }
        let answer: IdentityHTTPClient.Answer
        do {
            answer = try await IdentityHTTPClient.withClient(trusting: self.caBundle) { http throws(IdentityHTTPClient.Failure) in
                try await http.send(.GET, url: self.url, headers: headers, timeout: self.timeout)
            }
        } catch {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: error.reason)
        }
        guard answer.status == 200 else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the endpoint answered \(answer.status)")
        }
        return try AWSCredentialJSON.parse(answer.body, source: self.sourceName)
    }
}

/// The JSON both the container endpoint and instance metadata answer with.
enum AWSCredentialJSON {
    struct Body: Decodable {
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
        var Code: String?
    }

    static func parse(_ text: String, source: String) throws(ProxyError) -> SigV4Credentials {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(text.utf8)) else {
            throw .upstreamCredentialsUnavailable(source: source, reason: "the response is not credentials JSON")
        }
        if let code = body.Code, code != "Success" {
            throw .upstreamCredentialsUnavailable(source: source, reason: "the endpoint reported \(code)")
        }
        guard let accessKeyID = body.AccessKeyId, let secret = body.SecretAccessKey else {
            throw .upstreamCredentialsUnavailable(source: source, reason: "the response held no access key")
        }
        return SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: body.Token, expiration: Self.expiration(body.Expiration))
    }

    /// Parses AWS's `Expiration` (ISO 8601, with or without fractional seconds).
    static func expiration(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
