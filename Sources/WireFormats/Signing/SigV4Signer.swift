import Crypto
package import Foundation

/// Signs requests with AWS Signature Version 4 in the `Authorization` header.
///
/// Every header given is signed except those botocore also leaves unsigned (`user-agent`,
/// `expect`, `x-amzn-trace-id`, `authorization`), so the caller decides the set by what it passes.
/// `host` must be among them, with the port when it is not the scheme's default.
package struct SigV4Signer: Sendable {
    package let service: String
    package let region: String

    static let unsignedHeaderNames: Set<String> = ["user-agent", "expect", "x-amzn-trace-id", "authorization"]

    package init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// The headers to add to the request: `x-amz-date`, `x-amz-security-token` for temporary
    /// credentials, and `authorization`. `request.headers` must not already hold the first two.
    package func sign(_ request: SigV4Request, credentials: SigV4Credentials, date: Date) -> [(name: String, value: String)] {
        let (amzDate, day) = SigV4Canonical.timestamps(for: date)
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        var signing = request
        signing.headers = request.headers.filter { !Self.unsignedHeaderNames.contains($0.name.lowercased()) } + added
        let signedHeaders = Array(Set(signing.headers.map { $0.name.lowercased() })).sorted()
        let scope = "\(day)/\(self.region)/\(self.service)/aws4_request"
        let canonical = SigV4Canonical.canonicalRequest(signing, signedHeaders: signedHeaders)
        let stringToSign = SigV4Canonical.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = SigV4Canonical.signingKey(secret: credentials.secretAccessKey, date: day, region: self.region, service: self.service)
        let signature = SigV4Canonical.signature(stringToSign: stringToSign, key: key)
        added.append((
            "authorization",
            "\(SigV4Canonical.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
        ))
        return added
    }

    /// Hex SHA-256 of a body, for ``SigV4Request/payloadHash``.
    package static func payloadHash(_ body: some DataProtocol) -> String {
        SigV4Canonical.hexSHA256(body)
    }

    /// The hash of an empty body.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
