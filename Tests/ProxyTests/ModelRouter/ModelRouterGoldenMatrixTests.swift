import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import Logging
import MockProviders
import NIOCore
import Proxy
import ServiceLifecycle
import TestSupport
import Testing
import WireFormats

/// The golden matrix: ingress {chat, chat stream, responses, responses stream} × target
/// {openai-compatible, anthropic, gemini, vertex, bedrock, cohere} × {text, system, multi-turn,
/// tools, parallel calls in the answer, parallel calls in the history, tool result round trip,
/// usage, error, image}.
///
/// Each cell sends one request through `/v1/model-router` to the target's emulator (an
/// independent implementation of the provider's API, which never uses the translators) and
/// asserts, against `Golden/<target>.txt`, the exact request the emulator received and the exact
/// answer the client saw (ids and timestamps the proxy draws at random are normalised). The golden
/// files are reviewed like code; `ARCHESTRA_UPDATE_GOLDEN=1 swift test --filter GoldenMatrix`
/// rewrites them after a deliberate change.
@Suite(.timeLimit(.minutes(3)))
struct ModelRouterGoldenMatrixTests {
    enum Ingress: String, CaseIterable, Sendable {
        case chat, chatStream = "chat-stream", responses, responsesStream = "responses-stream"
        var isStreaming: Bool { self == .chatStream || self == .responsesStream }
        var path: String { self == .chat || self == .chatStream ? "/chat/completions" : "/responses" }
    }

    enum Scenario: String, CaseIterable, Sendable {
        case text, system, multiTurn = "multi-turn", tools
        /// The answer calls two tools at once (the emulators call every tool the message names).
        case parallelCalls = "parallel-calls"
        /// A history holding two parallel calls and both results.
        case parallelTools = "parallel-tools"
        case toolResult = "tool-result"
        case usage, error, image
    }

    struct Target: Sendable {
        var name: String
        /// The model id the client names.
        var model: String
    }

    static let targets = [
        Target(name: "openai-compatible", model: "groq:llama-3.3-70b-versatile"),
        Target(name: "anthropic", model: "anthropic:claude-sonnet-4-5"),
        Target(name: "gemini", model: "gemini:gemini-2.5-flash"),
        Target(name: "vertex", model: "gemini:gemini-2.5-flash"),
        Target(name: "bedrock", model: "bedrock:amazon.nova-pro-v1:0"),
        Target(name: "cohere", model: "cohere:command-a-03-2025"),
    ]

    /// A 1×1 PNG.
    static let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    static let weather: JSONValue = [
        "type": "function",
        "function": ["name": "get_weather", "description": "Current weather", "parameters": ["type": "object", "properties": ["location": ["type": "string"]], "required": ["location"]]],
    ]
    static let time: JSONValue = [
        "type": "function",
        "function": ["name": "get_time", "description": "Local time", "parameters": ["type": "object", "properties": ["timezone": ["type": "string"]], "required": ["timezone"]]],
    ]

    /// The client's body for one cell.
    static func body(_ ingress: Ingress, _ scenario: Scenario, model: String) -> JSONValue {
        var body: [String: JSONValue] = ["model": .string(model)]
        let isChat = ingress == .chat || ingress == .chatStream
        func call(_ id: String, _ name: String, _ arguments: String) -> JSONValue {
            isChat
                ? ["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string(arguments)]]
                : ["type": "function_call", "call_id": .string(id), "name": .string(name), "arguments": .string(arguments)]
        }
        func result(_ id: String, _ output: String) -> JSONValue {
            isChat ? ["role": "tool", "tool_call_id": .string(id), "content": .string(output)] : ["type": "function_call_output", "call_id": .string(id), "output": .string(output)]
        }
        func user(_ text: String) -> JSONValue { ["role": "user", "content": .string(text)] }
        var messages: [JSONValue]
        switch scenario {
        case .text, .usage, .error:
            messages = [user("Hello there")]
        case .system:
            messages = [user("Hello there")]
            if isChat { messages.insert(["role": "system", "content": "Answer briefly."], at: 0) } else { body["instructions"] = "Answer briefly." }
        case .multiTurn:
            messages = [user("Hi"), ["role": "assistant", "content": "Hello! How can I help?"], user("What is 2+2?")]
        case .tools:
            messages = [user("Use get_weather for Paris")]
        case .parallelCalls:
            messages = [user("Use get_weather and get_time for Paris")]
        case .parallelTools:
            let calls = [call("call_1", "get_weather", #"{"location":"Paris"}"#), call("call_2", "get_time", #"{"timezone":"Europe/Paris"}"#)]
            messages = [user("Weather and time in Paris?")]
            messages += isChat ? [["role": "assistant", "content": nil, "tool_calls": .array(calls)]] : calls
            messages += [result("call_1", "18C and sunny"), result("call_2", "14:00")]
        case .toolResult:
            messages = [user("What is the weather in Paris?")]
            let weather = call("call_1", "get_weather", #"{"location":"Paris"}"#)
            messages += isChat ? [["role": "assistant", "content": nil, "tool_calls": [weather]]] : [weather]
            messages += [result("call_1", "18C and sunny")]
        case .image:
            messages = isChat
                ? [["role": "user", "content": [["type": "text", "text": "What is in this image?"], ["type": "image_url", "image_url": ["url": .string(Self.png)]]]]]
                : [["role": "user", "content": [["type": "input_text", "text": "What is in this image?"], ["type": "input_image", "image_url": .string(Self.png)]]]]
        }
        if isChat { body["messages"] = .array(messages) } else { body["input"] = .array(messages) }
        if [.tools, .parallelCalls, .parallelTools, .toolResult].contains(scenario) {
            let tools = [.parallelCalls, .parallelTools].contains(scenario) ? [Self.weather, Self.time] : [Self.weather]
            body["tools"] = isChat ? .array(tools) : .array(tools.map { tool in
                var flat = tool["function"]?.objectValue ?? [:]
                flat["type"] = "function"
                return .object(flat)
            })
        }
        if ingress.isStreaming {
            body["stream"] = true
            if ingress == .chatStream, scenario == .usage { body["stream_options"] = ["include_usage": true] }
        }
        return .object(body)
    }

    /// What the emulators received, in order.
    actor Received {
        var requests: [String] = []
        func add(_ text: String) { self.requests.append(text) }
        func drain() -> [String] {
            defer { self.requests = [] }
            return self.requests
        }
    }

    /// Records each POST (method, path and query, JSON body pretty-printed), then answers with the
    /// emulator.
    struct RecordingResponder: HTTPResponder {
        let base: any HTTPResponder<BasicRequestContext>
        let received: Received

        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            var request = request
            let body = try await request.collectBody(upTo: 1 << 22)
            let query = request.uri.query.map { "?" + $0 } ?? ""
            // The proxy's model-list sync runs beside the cells; only the cells' requests count.
            guard request.method == .post else { return try await self.base.respond(to: request, context: context) }
            await self.received.add("\(request.method.rawValue) \(request.uri.path)\(query)\n\(ModelRouterGoldenMatrixTests.pretty(String(buffer: body)))")
            return try await self.base.respond(to: request, context: context)
        }
    }

    static func emulator(_ router: Router<BasicRequestContext>, _ received: Received, _ report: @escaping @Sendable (Int) async -> Void) -> any Service {
        Application(
            responder: RecordingResponder(base: router.buildResponder(), received: received),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await report($0.localAddress?.port ?? 0) },
            logger: Logger(label: "test.emulator", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func pretty(_ text: String) -> String {
        guard let value = try? JSONValue(parsing: Data(text.utf8)) else { return text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// Ids and times the proxy draws at random, and the emulators' request ids.
    static func normalize(_ text: String) -> String {
        var text = text
        let rules: [(String, String)] = [
            (#""(created|created_at)"(\s*):(\s*)\d+"#, #""$1"$2:$30"#),
            (#"chatcmpl-[0-9a-f]{32}"#, "chatcmpl-<id>"),
            (#"(resp|msg|rs|fc|call)_[0-9a-f]{32}"#, "$1_<id>"),
        ]
        for (pattern, template) in rules {
            text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return text
    }

    /// One cell through the proxy: what the emulator received and what the client saw.
    static func cell(_ ingress: Ingress, _ scenario: Scenario, target: Target, proxy: String, key: String, received: Received, client: HTTPClient) async throws -> String {
        var request = HTTPClientRequest(url: proxy + "/v1/model-router" + ingress.path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        if scenario == .error { request.headers.add(name: "x-mock-scenario", value: "rate-limit") }
        request.body = .bytes(ByteBuffer(data: Self.body(ingress, scenario, model: target.model).encodedData()))
        let response = try await client.execute(request, timeout: .seconds(20))
        let answer = String(buffer: try await response.body.collect(upTo: 1 << 22))
        var seen = "<<< \(response.status.code)"
        for name in ["x-archestra-dropped-content", "retry-after"] {
            if let value = response.headers.first(name: name) { seen += "\n\(name): \(value)" }
        }
        let shownAnswer = ingress.isStreaming && response.status == .ok ? answer : Self.pretty(answer)
        let upstream = await received.drain().map { ">>> " + $0 }.joined(separator: "\n")
        return "### \(ingress.rawValue) × \(scenario.rawValue)\n\(upstream)\n\(seen)\n\(Self.normalize(shownAnswer))\n"
    }

    static func goldenURL(_ target: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(target).txt")
    }

    /// Compares a target's cells with its golden file, cell by cell, so that a failure names the
    /// cell; rewrites the file instead when `ARCHESTRA_UPDATE_GOLDEN=1`.
    static func check(_ target: String, cells: [String]) throws {
        let url = Self.goldenURL(target)
        let actual = cells.joined(separator: "\n")
        if ProcessInfo.processInfo.environment["ARCHESTRA_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        let expectedCells = expected.components(separatedBy: "\n### ").map { $0.hasPrefix("### ") ? $0 : "### " + $0 }
        let actualCells = actual.components(separatedBy: "\n### ").map { $0.hasPrefix("### ") ? $0 : "### " + $0 }
        #expect(expectedCells.count == actualCells.count, "\(target): \(actualCells.count) cells, golden has \(expectedCells.count)")
        for (want, got) in zip(expectedCells, actualCells) where want != got {
            Issue.record("\(target) \(got.prefix(while: { $0 != "\n" })) differs from Golden/\(target).txt\n--- golden\n\(want)\n--- actual\n\(got)")
        }
    }

    static func run(_ target: Target, proxy: String, key: String, received: Received) async throws {
        try await withTestClient { client in
            var cells: [String] = []
            for ingress in Ingress.allCases {
                for scenario in Scenario.allCases {
                    cells.append(try await Self.cell(ingress, scenario, target: target, proxy: proxy, key: key, received: received, client: client))
                }
            }
            try Self.check(target.name, cells: cells)
        }
    }

    @Test("openai-compatible, anthropic, gemini, bedrock and cohere targets", arguments: [0, 1, 2, 4, 5])
    func nativeTargets(_ index: Int) async throws {
        let target = Self.targets[index]
        let received = Received()
        let provider = String(target.model.prefix { $0 != ":" })
        let (router, key, baseURL): (Router<BasicRequestContext>, String, (Int) -> String) =
            switch provider {
            case "groq": (CompatibleEmulator.makeRouter(profile: GroqEmulator.profile), GroqEmulator.apiKey, { "http://127.0.0.1:\($0)/openai/v1" })
            case "anthropic": (AnthropicEmulator.makeRouter(), AnthropicEmulator.apiKey, { "http://127.0.0.1:\($0)" })
            case "gemini": (GeminiEmulator.makeRouter(), GeminiEmulator.apiKey, { "http://127.0.0.1:\($0)" })
            case "bedrock": (BedrockEmulator.makeRouter(), AWSMockCredentialAuthority.bedrockAPIKey, { "http://127.0.0.1:\($0)" })
            default: (CohereEmulator.makeRouter(), CohereEmulator.apiKey, { "http://127.0.0.1:\($0)" })
            }
        try await withRunningServices({ report in [Self.emulator(router, received, report)] }) { port in
            let variable = provider == "groq" ? "ARCHESTRA_GROQ_BASE_URL" : "ARCHESTRA_\(provider.uppercased())_BASE_URL"
            try await withGatewayProxy(upstreamPort: port, environment: [variable: baseURL(port)]) { proxy, gateway in
                let stored = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: provider, secret: Secret(key)))
                let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [stored.id]))
                _ = await received.drain()
                try await Self.run(target, proxy: proxy, key: value.exposedValue, received: received)
            }
        }
    }

    /// Beyond the matrix, what only Vertex AI does differently: embeddings through `:predict`, and
    /// the model list from Google's publisher models, synced with the proxy's own identity.
    static func vertexEmbeddingsAndModels(proxy: String, key: String, received: Received) async throws {
        try await withTestClient { client in
            var request = HTTPClientRequest(url: proxy + "/v1/model-router/embeddings")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "authorization", value: "Bearer \(key)")
            request.body = .bytes(ByteBuffer(string: #"{"model":"gemini:text-embedding-005","input":["a","b"],"dimensions":8}"#))
            let response = try await client.execute(request, timeout: .seconds(10))
            let answer = try JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(response.status == .ok, "\(answer)")
            #expect(answer["data"]?.arrayValue?.count == 2)
            #expect(answer["data"]?.arrayValue?.first?["embedding"]?.arrayValue?.count == 8)
            let sent = await received.drain()
            #expect(sent.count == 1 && sent.first?.hasPrefix("POST /v1/projects/") == true && sent.first?.contains("text-embedding-005:predict") == true, "\(sent)")

            var list = HTTPClientRequest(url: proxy + "/v1/model-router/models")
            list.headers.add(name: "authorization", value: "Bearer \(key)")
            // The sync runs beside the proxy; a fresh store has the list within one pass.
            var ids: [String] = []
            for _ in 0..<200 where !ids.contains("gemini:gemini-2.5-flash") {
                let page = try JSONValue(parsing: Data(buffer: try await client.execute(list, timeout: .seconds(10)).body.collect(upTo: 1 << 20)))
                ids = page["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                if !ids.contains("gemini:gemini-2.5-flash") { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(ids.contains("gemini:gemini-2.5-flash"))
            #expect(ids.contains("gemini:text-embedding-005"))
        }
    }

    @Test("vertex target: the gemini provider in Vertex AI mode, keyless through Application Default Credentials")
    func vertexTarget() async throws {
        let directory = try VertexAICredentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let received = Received()
        try await withRunningServices({ report in [VertexAIRouteTests.application(GoogleIdentityEmulator.makeRouter(), report)] }) { identityPort in
            try await withRunningServices({ report in [Self.emulator(VertexAIEmulator.makeRouter(), received, report)] }) { vertexPort in
                let keyFile = try VertexAICredentialTests.serviceAccountFile(in: directory, tokenURI: "http://127.0.0.1:\(identityPort)/token")
                let environment = VertexAIRouteTests.vertexEnvironment(
                    vertexPort: vertexPort,
                    extra: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile, "ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "false", "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "3600"])
                try await withGatewayProxy(upstreamPort: vertexPort, environment: environment) { proxy, gateway in
                    let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: []))
                    _ = await received.drain()
                    try await Self.run(Self.targets[3], proxy: proxy, key: value.exposedValue, received: received)
                    try await Self.vertexEmbeddingsAndModels(proxy: proxy, key: value.exposedValue, received: received)
                }
            }
        }
    }
}
