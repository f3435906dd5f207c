import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// The ECS / EKS Pod Identity container credentials endpoint (PROTOCOLS.md §8.3): `GET` with
/// `Authorization: <token>` (raw, no scheme) answers temporary credentials as JSON.
package struct AWSContainerCredentialsHandler: Sendable {
    /// The value the env file exports as `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    package static let authorizationToken = "archestra-mock-container-token"
    let credentialLifetime: TimeInterval

    package init(credentialLifetime: Double = 6 * 3600) {
        self.credentialLifetime = credentialLifetime
    }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let given = request.headers[.authorization],
            ConstantTimeComparison.areEqual(given, Self.authorizationToken)
        else {
            let body = JSONValue.object(["code": "AccessDeniedException", "message": "Authorization token is missing or invalid"])
            return Response(status: .unauthorized, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body.encodedString())))
        }
        let credentials = AWSMockCredentialAuthority.issue(lifetime: self.credentialLifetime)
        let body = JSONValue.object([
            "AccessKeyId": .string(credentials.accessKeyID),
            "SecretAccessKey": .string(credentials.secretAccessKey),
            "Token": .string(credentials.sessionToken ?? ""),
            "Expiration": .string(AWSMockCredentialAuthority.iso8601(credentials.expiration ?? Date())),
            "RoleArn": .string("arn:aws:iam::\(AWSMockCredentialAuthority.accountID):role/\(AWSMockCredentialAuthority.roleName)"),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body.encodedString())))
    }
}
