import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import MockProviders
import Proxy
import Testing
import WireFormats
import TestSupport

/// Identity endpoints behind a private CA: trusted through the CA bundle, refused without it,
/// and the refusal is a prompt 502 naming the source.
@Suite(.timeLimit(.minutes(1)))
struct BedrockIdentityTLSTests {
    @Test("web identity over HTTPS trusts AWS_CA_BUNDLE, and without it fails naming the source")
    func stsOverTLS() async throws {
        let authority = try #require(MockCertificateAuthority.shared)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let caFile = directory.appendingPathComponent("ca.pem")
        try Data(authority.caPEM.utf8).write(to: caFile)
        func part(_ json: String) -> String { Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
        let tokenFile = directory.appendingPathComponent("token")
        try Data((part(#"{"alg":"RS256"}"#) + "." + part(#"{"sub":"s","exp":\#(Int(Date().timeIntervalSince1970) + 600)}"#) + ".sig\n").utf8).write(to: tokenFile)

        let server = try HTTPServerBuilder.tls(.http1(), tlsConfiguration: authority.serverTLSConfiguration())
        try await withRunningServices({ report in
            [Application(router: AWSIdentityEmulator.makeRouter(), server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.identity"))]
        }) { port in
            let environment = [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r",
                "AWS_ENDPOINT_URL_STS": "https://127.0.0.1:\(port)",
            ]
            var trusting = environment
            trusting["AWS_CA_BUNDLE"] = caFile.path
            let credentials = try await AWSCredentialChain.provider(from: ProviderEnvironment(values: trusting, baseURL: nil)).fetch()
            #expect(credentials.accessKeyID.hasPrefix("ASIA"))
            #expect(credentials.expiration != nil)

            let untrusting = try AWSCredentialChain.provider(from: ProviderEnvironment(values: environment, baseURL: nil))
            let error = await #expect(throws: ProxyError.self) { try await untrusting.fetch() }
            #expect(error?.status.code == 502)
            #expect(error?.message.contains("web identity (STS AssumeRoleWithWebIdentity)") == true)
        }
    }
}
