import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import Logging
import MockProviders
import NIOCore
import Proxy
import Testing
import TestSupport
import WireFormats

@Suite("interaction log end to end")
struct InteractionLogEndToEndTests {
    static func withOpenAIEmulator<Value: Sendable>(_ body: (Int) async throws -> Value) async throws -> Value {
        try await withRunningServices({ report in
            [
                Application(
                    router: CompatibleEmulator.makeRouter(profile: OpenAIEmulator.profile),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.openai"))
            ]
        }, body)
    }

    static func chat(_ proxy: String, key: String, stream: Bool, content: String = "hi", scenario: String? = nil) -> HTTPClientRequest {
        let streamFields = stream ? #","stream":true,"stream_options":{"include_usage":true}"# : ""
        var headers = [("authorization", "Bearer \(key)")]
        if let scenario { headers.append(("x-mock-scenario", scenario)) }
        return nativeRequest(
            "\(proxy)/v1/openai/\(testProfileID.uuidString.lowercased())/chat/completions",
            json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(content)"}]\#(streamFields)}"#, headers: headers)
    }

    @Test("whole answers, streams, a stream the upstream drops and one the client abandons each leave one row, with tokens, TTFT and scrubbed bodies")
    func requestsBecomeRows() async throws {
        try await Self.withOpenAIEmulator { upstream in
            try await withGatewayProxy(upstreamPort: upstream, environment: ["ARCHESTRA_INTERACTION_LOG_BODIES": "true"]) { proxy, gateway in
                try await withTestClient { client in
                    let rawKey = OpenAIEmulator.apiKey
                    let whole = try await client.execute(Self.chat(proxy, key: rawKey, stream: false), timeout: .seconds(10))
                    #expect(whole.status == .ok)
                    _ = try await whole.body.collect(upTo: 1 << 20)

                    let streamed = try await client.execute(Self.chat(proxy, key: rawKey, stream: true), timeout: .seconds(10))
                    let streamText = String(buffer: try await streamed.body.collect(upTo: 1 << 20))
                    #expect(streamText.contains("[DONE]"))

                    let dropped = try await client.execute(Self.chat(proxy, key: rawKey, stream: true, scenario: "drop-mid-stream; after-frames=2"), timeout: .seconds(10))
                    _ = try? await dropped.body.collect(upTo: 1 << 20)

                    // The client reads the first event of a slow stream, then goes away.
                    let firstEvent = Gate()
                    let abandoned = Task {
                        let response = try await client.execute(Self.chat(proxy, key: rawKey, stream: true, scenario: "slow-stream; delay-ms=300"), timeout: .seconds(10))
                        for try await _ in response.body { await firstEvent.open() }
                    }
                    await firstEvent.wait()
                    abandoned.cancel()
                    _ = await abandoned.result

                    // A virtual key pasted into a prompt, and sent as the credential.
                    let providerKey = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret(OpenAIEmulator.apiKey), isPrimary: false))
                    let (virtualKey, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [providerKey.id]))
                    let viaVirtualKey = try await client.execute(
                        Self.chat(proxy, key: value.exposedValue, stream: false, content: "remember \(value.exposedValue)"), timeout: .seconds(10))
                    #expect(viaVirtualKey.status == .ok)
                    _ = try await viaVirtualKey.body.collect(upTo: 1 << 20)

                    var rows: [Interaction] = []
                    for _ in 0..<500 where rows.count < 5 {
                        rows = try await gateway.store.interactions(InteractionQuery(order: .oldestFirst(after: nil), includeBodies: true))
                        if rows.count < 5 { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    try #require(rows.count == 5)

                    let byPath = rows.map { ($0.provider, $0.path, $0.profileID) }
                    #expect(byPath.allSatisfy { $0.0 == "openai" && $0.1 == "/chat/completions" && $0.2 == testProfileID })

                    let wholeRow = try #require(rows.first { !$0.isStreaming && $0.credentialKind == .providerKey })
                    #expect(wholeRow.status == 200)
                    #expect(wholeRow.model == "gpt-4o-mini")
                    #expect((wholeRow.tokens.input ?? 0) > 0)
                    #expect((wholeRow.tokens.output ?? 0) > 0)
                    #expect((wholeRow.timings.totalMicroseconds ?? 0) > 0)
                    #expect((wholeRow.timings.upstreamMicroseconds ?? 0) > 0)
                    #expect(wholeRow.timings.firstMessageMicroseconds == nil)
                    #expect(wholeRow.bodies?.request?.contains(#""content":"hi""#) == true)
                    #expect(wholeRow.bodies?.response?.contains("chat.completion") == true)

                    let streams = rows.filter(\.isStreaming)
                    #expect(streams.count == 3)
                    for row in streams { #expect((row.timings.firstMessageMicroseconds ?? 0) > 0) }
                    let complete = try #require(streams.first { $0.errorCode == nil && $0.bodies?.response?.contains("[DONE]") == true })
                    #expect((complete.tokens.output ?? 0) > 0)
                    #expect(streams.contains { $0.errorCode == "client_disconnected" })

                    let keyed = try #require(rows.first { $0.credentialKind == .virtualKey })
                    #expect(keyed.virtualKeyID == virtualKey.id)
                    #expect(keyed.providerKeyID == providerKey.id)
                    let everything = rows.map { "\($0.bodies?.request ?? "") \($0.bodies?.response ?? "")" }.joined()
                    #expect(!everything.contains(value.exposedValue))
                    #expect(!everything.contains(OpenAIEmulator.apiKey))
                    #expect(keyed.bodies?.request?.contains("remember <redacted>") == true)
                }
            }
        }
    }

    @Test("the model router's requests are logged with the native request and answer of the target, streams included")
    func modelRouterRows() async throws {
        try await withRunningServices({ report in
            [
                Application(
                    router: AnthropicEmulator.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.anthropic"))
            ]
        }) { upstream in
            let environment = ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(upstream)", "ARCHESTRA_INTERACTION_LOG_BODIES": "true"]
            try await withGatewayProxy(upstreamPort: upstream, environment: environment) { proxy, gateway in
                let providerKey = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret(AnthropicEmulator.apiKey), isPrimary: false))
                let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [providerKey.id]))
                try await withTestClient { client in
                    for stream in [false, true] {
                        let streamFields = stream ? #","stream":true,"stream_options":{"include_usage":true}"# : ""
                        let json = #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]\#(streamFields)}"#
                        let response = try await client.execute(
                            nativeRequest("\(proxy)/v1/model-router/chat/completions", json: json, headers: [("authorization", "Bearer \(value.exposedValue)")]),
                            timeout: .seconds(10))
                        #expect(response.status == .ok)
                        _ = try await response.body.collect(upTo: 1 << 20)
                    }
                }
                var rows: [Interaction] = []
                for _ in 0..<500 where rows.count < 2 {
                    rows = try await gateway.store.interactions(InteractionQuery(order: .oldestFirst(after: nil), includeBodies: true))
                    if rows.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
                }
                try #require(rows.count == 2)
                for row in rows {
                    #expect(row.provider == "anthropic")
                    #expect(row.credentialKind == .virtualKey)
                    #expect((row.tokens.output ?? 0) > 0)
                    // What went upstream and what came back, in Anthropic's own shape.
                    #expect(row.bodies?.request?.contains("max_tokens") == true)
                    let everything = "\(row.bodies?.request ?? "") \(row.bodies?.response ?? "")"
                    #expect(!everything.contains(value.exposedValue))
                    #expect(!everything.contains(AnthropicEmulator.apiKey))
                }
                #expect(rows[0].bodies?.response?.contains(#""type":"message""#) == true)
                #expect(rows[1].isStreaming)
                #expect(rows[1].bodies?.response?.contains("message_start") == true)
                #expect((rows[1].timings.firstMessageMicroseconds ?? 0) > 0)
            }
        }
    }

    @Test("without ARCHESTRA_INTERACTION_LOG_BODIES rows carry no bodies")
    func bodiesOffByDefault() async throws {
        try await Self.withOpenAIEmulator { upstream in
            try await withGatewayProxy(upstreamPort: upstream) { proxy, gateway in
                try await withTestClient { client in
                    let response = try await client.execute(Self.chat(proxy, key: OpenAIEmulator.apiKey, stream: true), timeout: .seconds(10))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    var rows: [Interaction] = []
                    for _ in 0..<500 where rows.isEmpty {
                        rows = try await gateway.store.interactions(InteractionQuery(includeBodies: true))
                        if rows.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let row = try #require(rows.first)
                    #expect(row.bodies == nil)
                    #expect((row.tokens.output ?? 0) > 0)
                    #expect(row.credentialKind == .providerKey)
                }
            }
        }
    }
}
