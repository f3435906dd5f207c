import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// EC2 instance metadata, IMDSv2 only (PROTOCOLS.md §8.2): `PUT /latest/api/token` with a TTL
/// header issues a session token, and every metadata read must carry it, else 401.
package struct AWSInstanceMetadataHandler: Sendable {
    /// Lifetime of the credentials it hands out.
    let credentialLifetime: TimeInterval

    package init(credentialLifetime: Double = 6 * 3600) {
        self.credentialLifetime = credentialLifetime
    }

    static let ttlHeader = "x-aws-ec2-metadata-token-ttl-seconds"
    static let tokenHeader = "x-aws-ec2-metadata-token"

    package func issueToken(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let ttlText = request.headers[named: Self.ttlHeader], let ttl = Int(ttlText), (1...21600).contains(ttl) else {
            return Self.text(.badRequest, "")
        }
        let expiry = Int64(Date().timeIntervalSince1970) + Int64(ttl)
        let token = "imds.\(expiry).\(AWSMockCredentialAuthority.mac("imds|\(expiry)"))"
        var response = Self.text(.ok, token)
        response.headers[named: Self.ttlHeader] = String(ttl)
        return response
    }

    package func metadata(_ request: Request, context: some RequestContext) async throws -> Response {
        guard Self.tokenIsValid(request.headers[named: Self.tokenHeader]) else { return Self.text(.unauthorized, "") }
        let path = request.uri.path
        let credentialsPrefix = "/latest/meta-data/iam/security-credentials/"
        if path == credentialsPrefix || path == String(credentialsPrefix.dropLast()) {
            return Self.text(.ok, AWSMockCredentialAuthority.roleName)
        }
        if path.hasPrefix(credentialsPrefix) {
            guard path.dropFirst(credentialsPrefix.count) == AWSMockCredentialAuthority.roleName else { return Self.text(.notFound, "") }
            let credentials = AWSMockCredentialAuthority.issue(lifetime: self.credentialLifetime)
            let body = JSONValue.object([
                "Code": "Success",
                "LastUpdated": .string(AWSMockCredentialAuthority.iso8601(Date())),
                "Type": "AWS-HMAC",
                "AccessKeyId": .string(credentials.accessKeyID),
                "SecretAccessKey": .string(credentials.secretAccessKey),
                "Token": .string(credentials.sessionToken ?? ""),
                "Expiration": .string(AWSMockCredentialAuthority.iso8601(credentials.expiration ?? Date())),
            ])
            return Self.text(.ok, body.encodedString())
        }
        switch path {
        case "/latest/meta-data/placement/availability-zone", "/latest/meta-data/placement/availability-zone/":
            return Self.text(.ok, "us-east-1a")
        case "/latest/meta-data/placement/region", "/latest/meta-data/placement/region/":
            return Self.text(.ok, "us-east-1")
        default:
            return Self.text(.notFound, "")
        }
    }

    static func tokenIsValid(_ token: String?) -> Bool {
        guard let token else { return false }
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 3, parts[0] == "imds", let expiry = Int64(parts[1]),
            ConstantTimeComparison.areEqual(parts[2], AWSMockCredentialAuthority.mac("imds|\(expiry)"))
        else { return false }
        return TimeInterval(expiry) > Date().timeIntervalSince1970
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
