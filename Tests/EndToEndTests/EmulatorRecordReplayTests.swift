import CassetteTesting
import Foundation
import MockProviders
import Recorder
import Testing
import TestSupport

/// Traffic recorded from the OpenAI emulator with `CassetteRecordingProxy`, then replayed through
/// `archestra serve`: the client must get back the very bytes it got while recording.
@Suite("Record from the emulator, replay through archestra serve", .timeLimit(.minutes(2)))
struct EmulatorRecordReplayTests {
    static let wrongKey = "sk-e2e-wrong-key-abcdefghijklmnop"

    struct Scenario: Sendable {
        let name: String
        let request: ClientRequest
        let expectedStatus: Int
        let isEventStream: Bool
    }

    static func scenarios(apiKey: String) -> [Scenario] {
        func post(_ path: String, _ json: String, key: String = apiKey, extra: [CassetteHeader] = []) -> ClientRequest {
            ClientRequest(
                method: "POST",
                path: path,
                headers: [CassetteHeader("Authorization", "Bearer \(key)"), CassetteHeader("Content-Type", "application/json")] + extra,
                body: json
            )
        }
        let weatherTool = #"{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}"#
        return [
            Scenario(
                name: "chat",
                request: post("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}"#),
                expectedStatus: 200, isEventStream: false),
            Scenario(
                name: "chat stream with usage",
                request: post(
                    "/v1/chat/completions",
                    #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Count to three"}],"stream":true,"stream_options":{"include_usage":true}}"#),
                expectedStatus: 200, isEventStream: true),
            Scenario(
                name: "tool call stream",
                request: post(
                    "/v1/chat/completions",
                    #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Call get_weather for Paris"}],"tools":[\#(weatherTool)],"stream":true}"#),
                expectedStatus: 200, isEventStream: true),
            Scenario(
                name: "responses stream",
                request: post("/v1/responses", #"{"model":"gpt-4o-mini","input":"Write a haiku","stream":true}"#),
                expectedStatus: 200, isEventStream: true),
            Scenario(
                name: "embeddings base64",
                request: post("/v1/embeddings", #"{"model":"text-embedding-3-small","input":"hello world","encoding_format":"base64"}"#),
                expectedStatus: 200, isEventStream: false),
            Scenario(
                name: "models list",
                request: ClientRequest(method: "GET", path: "/v1/models", headers: [CassetteHeader("Authorization", "Bearer \(apiKey)")]),
                expectedStatus: 200, isEventStream: false),
            Scenario(
                name: "invalid key",
                request: post("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Who am I?"}]}"#, key: wrongKey),
                expectedStatus: 401, isEventStream: false),
            Scenario(
                name: "rate limited",
                request: post(
                    "/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Too fast"}]}"#,
                    extra: [CassetteHeader("x-mock-scenario", "rate-limit; retry-after=7")]),
                expectedStatus: 429, isEventStream: false),
        ]
    }

    @Test("a cassette recorded from the emulator replays through the proxy as the bytes the client first received, without the key")
    func recordThenReplayThroughProxy() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cassettePath = directory.appendingPathComponent("emulator.json").path
        let apiKey = OpenAIEmulator.apiKey
        let scenarios = Self.scenarios(apiKey: apiKey)

        let originals: [ObservedResponse] = try await withRunningService({ reportPort in
            MockProviderServer(host: "127.0.0.1", basePort: 0, logger: quietLogger) { endpoints in
                await reportPort(endpoints.first { $0.provider == "openai" }?.port ?? 0)
            }
        }) { emulatorPort, _ in
            let upstream = try #require(URL(string: "http://127.0.0.1:\(emulatorPort)"))
            return try await withRunningService({ reportPort in
                CassetteRecordingProxy(
                    upstream: upstream,
                    cassettePath: cassettePath,
                    host: "127.0.0.1",
                    port: 0,
                    provenanceKind: .recordedFromEmulator,
                    logger: quietLogger,
                    onServerRunning: reportPort
                )
            }) { recorderPort, _ in
                try await withRawHTTPClient { client in
                    let recorder = TestClient(client: client, baseURL: "http://127.0.0.1:\(recorderPort)", mapPath: { $0 })
                    var responses: [ObservedResponse] = []
                    for scenario in scenarios { responses.append(try await recorder.send(scenario.request)) }
                    return responses
                }
            }
        }

        // The scenarios really exercised what they are named for.
        for (scenario, original) in zip(scenarios, originals) {
            #expect(original.status == scenario.expectedStatus, "\(scenario.name): \(String(decoding: original.body.prefix(300), as: UTF8.self))")
            #expect((original.events != nil) == scenario.isEventStream, "\(scenario.name): content-type \(original.values(of: "content-type"))")
        }
        #expect(originals[originals.count - 1].values(of: "retry-after") == ["7"])
        #expect(try #require(originals[2].events).contains { String(decoding: $0, as: UTF8.self).contains("\"tool_calls\"") })

        let fileText = try String(contentsOfFile: cassettePath, encoding: .utf8)
        #expect(!fileText.contains(apiKey), "the emulator key reached the cassette")
        #expect(!fileText.contains(Self.wrongKey), "the rejected key reached the cassette")
        let cassette = try Cassette.load(from: cassettePath)
        #expect(cassette.provenance.kind == .recordedFromEmulator)
        #expect(cassette.interactions.map(\.response.status) == scenarios.map(\.expectedStatus))

        let provider = try ProxiedProvider(id: "openai")
        let (_, unplayed) = try await withProxyInFrontOfReplay(cassettes: [cassette], provider: provider) { proxy in
            for (scenario, original) in zip(scenarios, originals) {
                let replayed = try await proxy.send(scenario.request)
                expectSameResponse(replayed, as: original, scenario.name)
            }
        }
        #expect(unplayed.isEmpty, "unplayed: \(unplayed.map(\.description))")
    }
}
