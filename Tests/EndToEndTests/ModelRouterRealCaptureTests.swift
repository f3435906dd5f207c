import CassetteTesting
import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import Logging
import NIOCore
import Proxy
import Recorder
import TestSupport
import Testing
import WireFormats

/// Real provider streams as the model router's upstream leg: each committed real capture (from
/// `Cassettes/`, provenance in `Cassettes/NOTICE`) is served frame by frame as the provider sent
/// it, and the OpenAI stream the client receives through `/v1/model-router` is checked against
/// what the capture says — its text, thinking, tool calls, stop reason and token counts, read
/// from the capture by hand, not by the translators under test.
@Suite(.timeLimit(.minutes(2)))
struct ModelRouterRealCaptureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var capture: String
        var interaction: Int
        var provider: String
        var model: String
        var tools: [String] = []
        var text: String = ""
        /// Thinking, or Cohere's tool plan, surfaced as `reasoning_content`.
        var reasoning: String = ""
        var toolCall: (id: String, name: String, arguments: JSONValue)?
        var finishReason: String
        var promptTokens: Int
        var completionTokens: Int

        var testDescription: String { "\(capture)#\(interaction)" }
    }

    static let cases: [Case] = [
        Case(
            capture: "anthropic/messages-stream-thinking.vcrpy.json", interaction: 0, provider: "anthropic", model: "claude-haiku-4-5",
            text: "1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - playful take on \"pelican\"",
            reasoning: "The user wants two names for a pet pelican, and they want me to be brief. I'll suggest two names that would suit a pelican well.\n\nSome good options:\n- Pelé (play on pelican)\n- Pouch (referencing their bill pouch)\n- Captain Beak\n- Squirt\n- Scoop\n- Wing\n\nLet me give two brief, catchy names:",
            finishReason: "stop", promptTokens: 46, completionTokens: 133),
        Case(
            capture: "anthropic/messages-stream-tools-2turn.ruby-vcr.json", interaction: 0, provider: "anthropic", model: "claude-sonnet-4-5",
            tools: ["system"], text: "I'll run the 'date' command for you.",
            toolCall: ("toolu_01Kke3CdMmWRuRQNEa89f3sM", "system", ["command": "date"]), finishReason: "tool_calls", promptTokens: 391, completionTokens: 64),
        Case(
            capture: "gemini/stream-sse-tools-3turn.vcrpy.json", interaction: 0, provider: "gemini", model: "gemini-2.0-flash",
            tools: ["get_capital"], toolCall: ("", "get_capital", ["country": "France"]), finishReason: "tool_calls", promptTokens: 52, completionTokens: 5),
        Case(
            capture: "gemini/stream-sse-tools-3turn.vcrpy.json", interaction: 2, provider: "gemini", model: "gemini-2.0-flash",
            text: "The temperature in Paris is 30°C.\n", finishReason: "stop", promptTokens: 79, completionTokens: 12),
        Case(
            capture: "bedrock/converse-stream-text.vcrpy.json", interaction: 0, provider: "bedrock", model: "us.amazon.nova-micro-v1:0",
            text: "Hello! How can I assist you today? Whether you have a question, need information, or just want to chat, I'm here to help.",
            finishReason: "stop", promptTokens: 2, completionTokens: 32),
        Case(
            capture: "bedrock/converse-stream-tools-multiturn-sigv4.ruby-vcr.json", interaction: 0, provider: "bedrock", model: "us.amazon.nova-2-lite-v1:0",
            tools: ["weather"], toolCall: ("tooluse_hsyz7O0QqkhdTHrpQhVYXj", "weather", ["latitude": "52.5200", "longitude": "13.4050"]),
            finishReason: "tool_calls", promptTokens: 986, completionTokens: 42),
        Case(
            capture: "cohere/v2-chat-stream.ruby-vcr.json", interaction: 0, provider: "cohere", model: "command-r7b-12-2024",
            text: "Sure! Here's counting from 1 to 3:\n\n1, 2, 3.", finishReason: "stop", promptTokens: 7, completionTokens: 21),
        Case(
            capture: "cohere/v2-chat-stream-tools-multiturn.ruby-vcr.json", interaction: 0, provider: "cohere", model: "command-r7b-12-2024",
            tools: ["weather"], reasoning: "I will use the weather tool to find the weather in Berlin.",
            toolCall: ("weather_vvavrb8p34fk", "weather", ["latitude": "52.5200", "longitude": "13.4050"]),
            finishReason: "tool_calls", promptTokens: 98, completionTokens: 35),
    ]

    /// The capture's response bytes as recorded (frames, or the whole body), content-decoded.
    static func recordedResponse(_ testCase: Case) async throws -> (contentType: String, frames: [Data]) {
        let cassette = try Cassette.load(from: CommittedCassettes.directory.appendingPathComponent(testCase.capture).path)
        let response = cassette.interactions[testCase.interaction].response
        let contentType = try #require(response.headers.first { $0.name.lowercased() == "content-type" }?.value)
        var frames = response.stream?.map(\.bytes) ?? response.body.map { [$0.bytes] } ?? []
        if response.headers.contains(where: { $0.name.lowercased() == "content-encoding" && $0.value == "gzip" }) {
            frames = [try await Self.gunzip(frames.reduce(Data(), +))]
        }
        return (contentType, frames)
    }

    /// The real API answered gzip to the recording client; the router asks upstreams for identity,
    /// so the capture is served decoded (`gzip` is in every Debian image).
    static func gunzip(_ data: Data) async throws -> Data {
        let run = try await runTool("/bin/gzip", ["-dc"], input: data)
        #expect(run.succeeded, "\(run.errors)")
        return run.output
    }

    static func environment(provider: String, port: Int) -> [String: String] {
        var environment = ["ARCHESTRA_DATABASE_URL": "sqlite::memory:"]
        environment["ARCHESTRA_\(provider.uppercased())_BASE_URL"] = "http://127.0.0.1:\(port)"
        return environment
    }

    @Test("a real capture served as the upstream reaches the client as the OpenAI stream it says", arguments: Self.cases)
    func replay(_ testCase: Case) async throws {
        let (contentType, frames) = try await Self.recordedResponse(testCase)
        try await withRunningServices({ report in
            let router = Router()
            router.post("/**") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: contentType],
                    body: ResponseBody { writer in
                        for frame in frames { try await writer.write(ByteBuffer(data: frame)) }
                        try await writer.finish(nil)
                    })
            }
            return [Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.capture", factory: { _ in SwiftLogNoOpLogHandler() }))]
        }) { port in
            let configuration = try ProxyConfiguration(environment: Self.environment(provider: testCase.provider, port: port), host: "127.0.0.1", port: 0)
            let quiet = Logger(label: "test.proxy", factory: { _ in SwiftLogNoOpLogHandler() })
            let gateway = try await GatewayRuntime.open(configuration: configuration, logger: quiet)
            let key = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: testCase.provider, secret: Secret("recorded-key")))
            let (_, virtualKey) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            try await withRunningServices({ report in [ProxyService(configuration: configuration, gateway: gateway, logger: quiet, onServerRunning: report)] }) { proxyPort in
                try await Self.check(testCase, proxy: "http://127.0.0.1:\(proxyPort)", key: virtualKey.exposedValue)
            }
        }
    }

    static func check(_ testCase: Case, proxy: String, key: String) async throws {
        var body: JSONValue = [
            "model": .string("\(testCase.provider):\(testCase.model)"), "stream": true, "stream_options": ["include_usage": true],
            "messages": [["role": "user", "content": "Replay"]],
        ]
        if !testCase.tools.isEmpty, case .object(var object) = body {
            object["tools"] = .array(testCase.tools.map { ["type": "function", "function": ["name": .string($0), "parameters": ["type": "object"]]] })
            body = .object(object)
        }
        var request = HTTPClientRequest(url: proxy + "/v1/model-router/chat/completions")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(data: body.encodedData()))
        let text = try await withRawHTTPClient { client in
            let response = try await client.execute(request, timeout: .seconds(20))
            #expect(response.status == .ok)
            return String(buffer: try await response.body.collect(upTo: 1 << 22))
        }
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.last == "data: [DONE]", "\(text)")
        let chunks = try events.dropLast().map { event -> JSONValue in
            #expect(event.hasPrefix("data: {"), "\(event)")
            return try JSONValue(parsing: Data(event.dropFirst("data: ".count).utf8))
        }
        #expect(chunks.allSatisfy { $0["error"] == nil }, "\(text)")
        #expect(chunks.first?["choices"]?.arrayValue?.first?["delta"]?["role"]?.stringValue == "assistant")
        let deltas = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"] }
        #expect(deltas.compactMap { $0["content"]?.stringValue }.joined() == testCase.text)
        #expect(deltas.compactMap { $0["reasoning_content"]?.stringValue }.joined() == testCase.reasoning)
        let finishes = chunks.compactMap { $0["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue }
        #expect(finishes == [testCase.finishReason])
        let calls = deltas.flatMap { $0["tool_calls"]?.arrayValue ?? [] }
        if let expected = testCase.toolCall {
            let first = try #require(calls.first)
            if !expected.id.isEmpty { #expect(first["id"]?.stringValue == expected.id) }
            #expect(first["function"]?["name"]?.stringValue == expected.name)
            let arguments = calls.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
            #expect(try JSONValue(parsing: Data(arguments.utf8)) == expected.arguments)
        } else {
            #expect(calls.isEmpty)
        }
        let usage = chunks.last?["usage"]
        #expect(chunks.last?["choices"]?.arrayValue?.isEmpty == true)
        #expect(usage?["prompt_tokens"]?.intValue == testCase.promptTokens)
        #expect(usage?["completion_tokens"]?.intValue == testCase.completionTokens)
    }
}
