import Foundation
import Hummingbird
import MockProviders
import Proxy
import Recorder
import Testing
import TestSupport

/// Real Vertex AI captures (`Cassettes/vertex/`) replayed through `archestra serve` in Vertex AI
/// mode. The proxy obtains its token itself: from the cassette's own recorded token exchange
/// (an `authorized_user` refresh at the replay server's `/token`), or, for a capture without one,
/// from the metadata emulator. The client sends only the Vertex call and must get back exactly
/// what Vertex sent; every recorded interaction, the token exchange included, must be played.
@Suite("Vertex AI cassettes replay through archestra serve in Vertex mode", .timeLimit(.minutes(1)))
struct VertexCassetteReplayTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let project: String
        let location: String
        /// Whether the capture holds the token exchange (else the metadata emulator issues one).
        let recordsTokenExchange: Bool
        var testDescription: String { self.file }
    }

    static let cases = [
        Case(file: "generate-content.vcrpy.json", project: "pydantic-ai", location: "global", recordsTokenExchange: false),
        Case(file: "google-oauth2-refresh-then-vertex.vcrpy.json", project: "pydantic-ai", location: "europe-west4", recordsTokenExchange: true),
    ]

    static let directory = CommittedCassettes.directory.appendingPathComponent("vertex", isDirectory: true)

    @Test("a Vertex capture replays through the proxy with the recorded status, headers and bytes", arguments: cases)
    func replays(_ testCase: Case) async throws {
        let cassette = try Cassette.load(from: Self.directory.appendingPathComponent(testCase.file).path)
        let calls = cassette.interactions.filter { ($0.leg ?? .upstream) == .upstream && !$0.request.path.hasPrefix("/token") }
        try #require(!calls.isEmpty)
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-vertex-e2e-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: credentials) }

        let unplayed = try await withRunningService({ reportPort in
            Application(
                router: GoogleIdentityEmulator.makeRouter(),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await reportPort($0.localAddress?.port ?? 0) },
                logger: quietLogger
            )
        }) { metadataPort, _ in
            try await withRunningService({ reportPort in
                CassetteReplayServer(
                    cassettes: [cassette], host: "127.0.0.1", port: 0, timing: .instant,
                    matcher: CassetteMatcher(checksCredentialHeaders: true), logger: quietLogger, onServerRunning: reportPort
                )
            }) { replayPort, replayServer in
                var environment = [
                    "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true", "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT": testCase.project,
                    "ARCHESTRA_GEMINI_VERTEX_AI_LOCATION": testCase.location, "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL": "http://127.0.0.1:\(replayPort)",
                    "GCE_METADATA_HOST": "127.0.0.1:\(metadataPort)",
                ]
                if testCase.recordsTokenExchange {
                    // The recording's client id survives redaction; the secrets are redacted on both sides.
                    let file: [String: String] = [
                        "type": "authorized_user", "client_id": "scrubbed", "client_secret": "e2e-client-secret",
                        "refresh_token": "e2e-refresh-token", "token_uri": "http://127.0.0.1:\(replayPort)/token",
                    ]
                    try JSONSerialization.data(withJSONObject: file).write(to: credentials)
                    environment["ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE"] = credentials.path
                }
                environment["ARCHESTRA_DATABASE_URL"] = "sqlite::memory:"
                environment["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] = "true"
                environment["ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS"] = "0"  // the cassette holds the client's calls only
                let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
                try await withRunningService({ reportPort in
                    ProxyService(configuration: configuration, logger: quietLogger, onServerRunning: reportPort)
                }) { proxyPort, _ in
                    try await withRawHTTPClient { client in
                        let proxy = TestClient(client: client, baseURL: "http://127.0.0.1:\(proxyPort)", mapPath: { "/v1/gemini" + $0 })
                        for interaction in calls {
                            let received = try await proxy.send(ClientRequest(replaying: interaction.request))
                            expectSameResponse(received, as: ObservedResponse(recorded: interaction.response), "\(testCase.file) \(interaction.request.path)")
                        }
                    }
                }
                return await replayServer.unplayedReport()
            }
        }
        #expect(unplayed.isEmpty, "unplayed: \(unplayed.map(\.description))")
    }
}
