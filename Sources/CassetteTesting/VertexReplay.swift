import Foundation
import Hummingbird
import MockProviders
import Proxy
import Recorder
import TestSupport

/// How a Vertex AI capture replays through `archestra serve` in Vertex AI mode: the proxy gets its
/// token itself, from the capture's own token exchange (an `authorized_user` refresh recorded at
/// `/token`, served by the replay) or, when the capture has none, from the GCE metadata emulator.
/// The client sends only the Vertex calls, to `/v1/gemini/…`.
struct VertexReplay: Sendable {
    let project: String
    let location: String
    /// Whether the capture holds the token exchange.
    let recordsTokenExchange: Bool
    /// The OAuth client id the recorded exchange sent (ids are not secrets and survive
    /// redaction), so the proxy's refresh matches it.
    let recordedClientID: String

    /// Read from the recorded calls' paths (`…/projects/{project}/locations/{location}/…`).
    init(cassette: Cassette) throws(CassetteTestError) {
        let calls = Self.calls(in: cassette)
        guard let path = calls.first?.request.path, let (project, location) = Self.projectAndLocation(in: path) else {
            throw CassetteTestError("no Vertex AI call (…/projects/P/locations/L/…) in the cassette")
        }
        self.project = project
        self.location = location
        let exchange = cassette.interactions.first { $0.request.path.hasPrefix("/token") }
        self.recordsTokenExchange = exchange != nil
        let form = exchange?.request.body.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        self.recordedClientID = form.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "client_id" else { return nil }
            return String(parts[1]).removingPercentEncoding
        }.first ?? "replay-client"
    }

    /// The recorded requests a client sends: every upstream call but the token exchange.
    static func calls(in cassette: Cassette) -> [CassetteInteraction] {
        cassette.interactions.filter { ($0.leg ?? .upstream) == .upstream && !$0.request.path.hasPrefix("/token") }
    }

    static func projectAndLocation(in path: String) -> (String, String)? {
        let segments = path.split(separator: "?").first?.split(separator: "/").map(String.init) ?? []
        guard let projects = segments.firstIndex(of: "projects"), projects + 3 < segments.count, segments[projects + 2] == "locations" else { return nil }
        return (segments[projects + 1], segments[projects + 3])
    }

    /// Runs the metadata emulator, the replay and the proxy for the duration of `body`.
    func withProxy<Value: Sendable>(
        replaying cassette: Cassette,
        _ body: (_ proxy: TestClient) async throws -> Value
    ) async throws -> (value: Value, unplayed: [CassetteUnplayedInteraction]) {
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-vertex-replay-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: credentials) }
        return try await withRunningService({ reportPort in
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
                    matcher: CassetteTestRunner.matcher, logger: quietLogger, onServerRunning: reportPort
                )
            }) { replayPort, replayServer in
                var environment = [
                    "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true", "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT": self.project,
                    "ARCHESTRA_GEMINI_VERTEX_AI_LOCATION": self.location, "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL": "http://127.0.0.1:\(replayPort)",
                    "GCE_METADATA_HOST": "127.0.0.1:\(metadataPort)",
                    "ARCHESTRA_DATABASE_URL": "sqlite::memory:",
                    "ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "true",
                    // The cassette holds the client's calls only: the model-list sync must not spend them.
                    "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
                ]
                if self.recordsTokenExchange {
                    // The recording's client id survives redaction; the secrets are redacted on both sides.
                    let file: [String: String] = [
                        "type": "authorized_user", "client_id": self.recordedClientID, "client_secret": "replay-client-secret",
                        "refresh_token": "replay-refresh-token", "token_uri": "http://127.0.0.1:\(replayPort)/token",
                    ]
                    try JSONSerialization.data(withJSONObject: file).write(to: credentials)
                    environment["ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE"] = credentials.path
                }
                let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
                let value = try await withRunningService({ reportPort in
                    ProxyService(configuration: configuration, logger: quietLogger, onServerRunning: reportPort)
                }) { proxyPort, _ in
                    try await withRawHTTPClient { client in
                        try await body(TestClient(client: client, baseURL: "http://127.0.0.1:\(proxyPort)", mapPath: { "/v1/gemini" + $0 }))
                    }
                }
                return (value, await replayServer.unplayedReport())
            }
        }
    }
}
