import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// Bedrock's two ways in, checked as AWS does: a Bedrock API key as `Authorization: Bearer`, or
/// a SigV4 signature (signing name `bedrock`) by the test access key or by temporary credentials
/// the STS / metadata emulators issued. The signature is recomputed over the raw path, the
/// headers and the exact body bytes.
package struct BedrockAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let acceptedAPIKeys: [String]
    let verifier = SigV4Verifier()
    static var maximumBodyBytes: Int { 32 * 1024 * 1024 }

    package init(acceptedAPIKeys: [String] = [AWSMockCredentialAuthority.bedrockAPIKey]) {
        self.acceptedAPIKeys = acceptedAPIKeys
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let authorization = request.headers[.authorization], !authorization.isEmpty else {
            throw BedrockEmulatorError.missingAuthentication
        }
        if authorization.lowercased().hasPrefix("bearer ") {
            let key = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            var accepted = false
            for candidate in self.acceptedAPIKeys where ConstantTimeComparison.areEqual(candidate, key) { accepted = true }
            guard accepted else { throw BedrockEmulatorError.unrecognizedClient }
            return try await next(request, context)
        }
        guard let parsed = SigV4Authorization(header: authorization) else { throw BedrockEmulatorError.incompleteSignature }
        let sessionToken = request.headers[named: "x-amz-security-token"]
        let secret: String
        switch AWSMockCredentialAuthority.secret(accessKeyID: parsed.accessKeyID, sessionToken: sessionToken) {
        case .success(let found): secret = found
        case .failure(.expiredToken): throw BedrockEmulatorError.expiredToken
        case .failure(.unrecognizedClient): throw BedrockEmulatorError.unrecognizedClient
        }
        guard parsed.service == "bedrock" else {
            throw BedrockEmulatorError(status: .forbidden, code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'bedrock'. ")
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        var headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        if let authority = request.head.authority { headers.append((name: "host", value: authority)) }
        let signed = SigV4Request(
            method: request.method.rawValue,
            rawPath: request.uri.path,
            rawQuery: request.uri.query,
            headers: headers,
            payloadHash: SigV4Signer.payloadHash(body.readableBytesView)
        )
        switch self.verifier.verify(signed, authorization: parsed, secretAccessKey: secret, now: Date()) {
        case .success: return try await next(request, context)
        case .failure(.requestTimeTooSkewed):
            throw BedrockEmulatorError(status: .forbidden, code: "InvalidSignatureException", message: "Signature expired: the request time is too far from the server time.")
        case .failure: throw BedrockEmulatorError.invalidSignature
        }
    }
}
