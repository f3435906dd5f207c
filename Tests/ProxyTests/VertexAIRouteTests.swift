import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MockProviders
import NIOCore
import Testing
import WireFormats
import ServiceLifecycle
import TestSupport

/// `/v1/gemini/...` in Vertex AI mode, end to end: the proxy gets a token from the Google token
/// emulator (JWT-bearer with the generated key file) or the metadata emulator, and the Vertex
/// emulator checks it.
@Suite(.timeLimit(.minutes(1)))
struct VertexAIRouteTests {
    static func application(_ router: Router<BasicRequestContext>, _ report: @escaping @Sendable (Int) async -> Void) -> any Service {
        Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await report($0.localAddress?.port ?? 0) },
            logger: Logger(label: "test.google", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// The identity emulator and the Vertex emulator, each on its own port.
    static func withGoogleEmulators<Value: Sendable>(_ body: (_ identityPort: Int, _ vertexPort: Int) async throws -> Value) async throws -> Value {
        try await withRunningServices({ report in [Self.application(GoogleIdentityEmulator.makeRouter(), report)] }) { identityPort in
            try await withRunningServices({ report in [Self.application(VertexAIEmulator.makeRouter(), report)] }) { vertexPort in
                try await body(identityPort, vertexPort)
            }
        }
    }

    static func vertexEnvironment(vertexPort: Int, extra: [String: String]) -> [String: String] {
        var environment = [
            "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true", "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT": GoogleMockIdentity.projectID,
            "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL": "http://127.0.0.1:\(vertexPort)",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    static let body = #"{"contents":[{"role":"user","parts":[{"text":"hello vertex"}]}]}"#

    @Test("a service-account key file: generateContent and an alt=sse stream reach Vertex with a verified token, no client key needed")
    func serviceAccount() async throws {
        let directory = try VertexAICredentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withGoogleEmulators { identityPort, vertexPort in
            let keyFile = try VertexAICredentialTests.serviceAccountFile(in: directory, tokenURI: "http://127.0.0.1:\(identityPort)/token")
            let environment = Self.vertexEnvironment(vertexPort: vertexPort, extra: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile])
            try await withProxy(upstreamPort: vertexPort, environment: environment) { proxy in
                try await withTestClient { client in
                    let plain = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent", json: Self.body, headers: [("x-goog-api-key", "AIza-ignored")]),
                        timeout: .seconds(10)
                    )
                    let text = try await plain.bodyText()
                    #expect(plain.status == .ok, "\(text)")
                    #expect(text.contains("\"candidates\""))

                    let stream = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse", json: Self.body),
                        timeout: .seconds(10)
                    )
                    #expect(stream.status == .ok)
                    #expect(stream.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
                    #expect(try await stream.bodyText().hasPrefix("data: "))
                }
            }
        }
    }

    @Test("the GCE metadata server: its token reaches Vertex")
    func metadataServer() async throws {
        try await Self.withGoogleEmulators { identityPort, vertexPort in
            let environment = Self.vertexEnvironment(vertexPort: vertexPort, extra: ["GCE_METADATA_HOST": "127.0.0.1:\(identityPort)"])
            try await withProxy(upstreamPort: vertexPort, environment: environment) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent", json: Self.body), timeout: .seconds(10)
                    )
                    let text = try await response.bodyText()
                    #expect(response.status == .ok, "\(text)")
                }
            }
        }
    }

    @Test("a key file the token endpoint rejects is a 502 carrying Google's error text and the source, never the assertion")
    func rejectedAssertion() async throws {
        let directory = try VertexAICredentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withGoogleEmulators { identityPort, vertexPort in
            // The emulator's file with another private key: the signature cannot verify.
            let keyFile = directory.appendingPathComponent("forged.json")
            var object = try #require(
                try JSONSerialization.jsonObject(with: GoogleMockIdentity.serviceAccountKeyFile(tokenURI: "http://127.0.0.1:\(identityPort)/token")) as? [String: String]
            )
            object["private_key"] = try RS256SigningKey.generate().pkcs8PEM
            try JSONSerialization.data(withJSONObject: object).write(to: keyFile)
            let environment = Self.vertexEnvironment(vertexPort: vertexPort, extra: ["ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE": keyFile.path])
            try await withProxy(upstreamPort: vertexPort, environment: environment) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent", json: Self.body), timeout: .seconds(10)
                    )
                    let text = try await response.bodyText()
                    #expect(response.status.code == 502)
                    #expect(text.contains("ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE"))
                    #expect(text.contains("invalid_grant"))
                    #expect(text.contains("Invalid JWT Signature."))
                    #expect(!text.contains("eyJ"))
                    #expect(text.contains("\"status\""))
                }
            }
        }
    }

    @Test("a metadata server that does not answer is a prompt 502 naming it")
    func deadMetadataServer() async throws {
        try await Self.withGoogleEmulators { _, vertexPort in
            // A listener that is not a metadata server: no Metadata-Flavor in its answers.
            try await withUpstream({ router in router.get("/**") { _, _ in "not metadata" } }) { otherPort in
                for host in ["127.0.0.1:\(otherPort)", "127.0.0.1:1"] {
                    let environment = Self.vertexEnvironment(vertexPort: vertexPort, extra: ["GCE_METADATA_HOST": host])
                    try await withProxy(upstreamPort: vertexPort, environment: environment) { proxy in
                        try await withTestClient { client in
                            let response = try await client.execute(
                                nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent", json: Self.body), timeout: .seconds(10)
                            )
                            #expect(response.status.code == 502)
                            #expect(try await response.bodyText().contains("the GCE metadata server (\(host))"))
                        }
                    }
                }
            }
        }
    }

    @Test("in Vertex mode the client's key (header or ?key=) and bearer token never reach Vertex; the proxy's token does")
    func clientCredentialsReplaced() async throws {
        try await withRunningServices({ report in [Self.application(GoogleIdentityEmulator.makeRouter(), report)] }) { identityPort in
            try await withUpstream(ForwardingTests.echoUpstream) { upstreamPort in
                let environment = Self.vertexEnvironment(vertexPort: upstreamPort, extra: ["GCE_METADATA_HOST": "127.0.0.1:\(identityPort)"])
                try await withProxy(upstreamPort: upstreamPort, environment: environment) { proxy in
                    try await withTestClient { client in
                        let echo = try await ForwardingTests.echo(of: try await client.execute(
                            nativeRequest(
                                "\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-query-secret", json: Self.body,
                                headers: [("x-goog-api-key", "AIza-header-secret"), ("authorization", "Bearer client-own-token")]
                            ),
                            timeout: .seconds(10)
                        ))
                        #expect(echo.path == "/v1/projects/\(GoogleMockIdentity.projectID)/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent")
                        #expect(echo.query == "alt=sse")
                        #expect(echo.headers["x-goog-api-key"] == nil)
                        let authorization = try #require(echo.headers["authorization"]?.first)
                        #expect(authorization.hasPrefix("Bearer ya29.ArchestraMock."))
                        #expect(GoogleMockIdentity.validateAccessToken(String(authorization.dropFirst("Bearer ".count))) == nil)
                    }
                }
            }
        }
    }
}
