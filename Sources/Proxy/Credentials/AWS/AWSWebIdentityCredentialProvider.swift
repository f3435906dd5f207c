import Foundation
import NIOHTTP1
package import WireFormats

/// IRSA and other OIDC federation: the token in `AWS_WEB_IDENTITY_TOKEN_FILE` exchanged for
/// temporary credentials by STS `AssumeRoleWithWebIdentity` (an unsigned Query-protocol POST).
/// The file is read on every fetch, because Kubernetes rotates it.
package struct AWSWebIdentityCredentialProvider: AWSCredentialProvider {
    let tokenFile: String
    let roleARN: String
    let sessionName: String
    /// The STS endpoint: `AWS_ENDPOINT_URL_STS`, else `https://sts.<region>.amazonaws.com`.
    let stsEndpoint: String
    let timeout: Duration
    /// Extra CA certificates for an HTTPS endpoint (`ARCHESTRA_UPSTREAM_CA_BUNDLE`, `AWS_CA_BUNDLE`).
    let caBundle: String?

    package var sourceName: String { "web identity (STS AssumeRoleWithWebIdentity)" }

    package init(tokenFile: String, roleARN: String, sessionName: String, stsEndpoint: String, timeout: Duration = .seconds(5), caBundle: String? = nil) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.stsEndpoint = stsEndpoint
        self.timeout = timeout
        self.caBundle = caBundle
    }

    package func fetch() async throws(ProxyError) -> SigV4Credentials {
        guard let data = FileManager.default.contents(atPath: self.tokenFile), let token = String(data: data, encoding: .utf8) else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the token file named by AWS_WEB_IDENTITY_TOKEN_FILE cannot be read")
        }
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", self.roleARN),
            ("RoleSessionName", self.sessionName), ("WebIdentityToken", token.trimmingCharacters(in: .whitespacesAndNewlines)),
        ]
        let answer: IdentityHTTPClient.Answer
        do {
            answer = try await IdentityHTTPClient.withClient(trusting: self.caBundle) { http throws(IdentityHTTPClient.Failure) in
                try await http.send(
                    .POST, url: self.stsEndpoint.hasSuffix("/") ? self.stsEndpoint : self.stsEndpoint + "/",
                    headers: [("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
                    body: IdentityHTTPClient.formEncoded(form), timeout: self.timeout
                )
            }
        } catch {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: error.reason)
        }
        guard answer.status == 200 else {
            // STS's error code and message describe the refusal and carry no secret.
            let code = Self.element("Code", in: answer.body) ?? "HTTP \(answer.status)"
            let message = Self.element("Message", in: answer.body).map { " (\($0))" } ?? ""
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "STS answered \(answer.status) \(code)\(message)")
        }
        guard let accessKeyID = Self.element("AccessKeyId", in: answer.body), let secret = Self.element("SecretAccessKey", in: answer.body),
            let sessionToken = Self.element("SessionToken", in: answer.body)
        else {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "the STS response held no credentials")
        }
        return SigV4Credentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: sessionToken,
            expiration: AWSCredentialJSON.expiration(Self.element("Expiration", in: answer.body))
        )
    }

    /// The text of the first `<name>…</name>`, XML entities undone. STS's responses are flat
    /// enough that this is all the XML reading needed.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
