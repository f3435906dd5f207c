import Foundation
import NIOCore
import NIOHTTP1
import WireFormats

/// Signs each upstream request with SigV4, with credentials from an AWS credential chain
/// (keyless IAM: IRSA, container roles, instance profiles).
///
/// The client's own AWS headers are dropped first: its signature covers a different URL and its
/// credentials are not the proxy's. Signed are `host`, `content-type` and the `x-amz-*` headers,
/// over the raw path (ARNs keep their `%2F`) and the exact body bytes.
package struct SigV4Authorizer: UpstreamAuthorizer {
    let signer: SigV4Signer
    let credentials: AWSCredentialCache

    package init(service: String, region: String, credentials: AWSCredentialCache) {
        self.signer = SigV4Signer(service: service, region: region)
        self.credentials = credentials
    }

    package var obtainsOwnCredentials: Bool { true }
    package var signsRequestBody: Bool { true }

    package func authorize(_ request: inout UpstreamRequest, credential: UpstreamCredential) async throws(ProxyError) -> CredentialSource {
        AWSClientHeaders.remove(from: &request.headers)
        let credentials = try await self.credentials.credentials()
        guard let components = URLComponents(string: request.url), let host = components.host else {
            throw .internalFailure
        }
        let defaultPort = components.scheme == "https" ? 443 : 80
        let authority = components.port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
        request.headers.replaceOrAdd(name: "host", value: authority)
        let signedNames: [(name: String, value: String)] = request.headers.filter { header in
            let name = header.name.lowercased()
            return name == "host" || name == "content-type" || (name.hasPrefix("x-amz-") && name != "x-amzn-trace-id")
        }.map { (name: $0.name, value: $0.value) }
        // The pipeline collects the body for signing authorizers (`signsRequestBody`).
        let body = request.collectedBody.map { Array($0.readableBytesView) } ?? []
        let signing = SigV4Request(
            method: request.method.rawValue,
            rawPath: components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath,
            rawQuery: components.percentEncodedQuery,
            headers: signedNames,
            payloadHash: SigV4Signer.payloadHash(body)
        )
        for header in self.signer.sign(signing, credentials: credentials, date: Date()) {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        return .workloadIdentity
    }
}

/// Headers an AWS SDK adds for its own signature, which must not reach the upstream beside ours
/// (or beside a bearer key).
enum AWSClientHeaders {
    static let names = ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]

    static func remove(from headers: inout HTTPHeaders) {
        for name in Self.names { headers.remove(name: name) }
    }
}

/// Bedrock's API-key mode: the client's bearer key, else `ARCHESTRA_CHAT_BEDROCK_API_KEY`, as
/// `Authorization: Bearer`. A client that signs with SigV4 instead (boto3 with AWS keys) has its
/// signature headers dropped and the fallback key used.
package struct BedrockAPIKeyAuthorizer: UpstreamAuthorizer {
    let keys: StaticKeyAuthorizer

    package init(keys: StaticKeyAuthorizer) {
        self.keys = keys
    }

    package func authorize(_ request: inout UpstreamRequest, credential: UpstreamCredential) async throws(ProxyError) -> CredentialSource {
        AWSClientHeaders.remove(from: &request.headers)
        return try await self.keys.authorize(&request, credential: credential)
    }
}
