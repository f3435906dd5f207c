import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats
import Yams

/// Each compatible emulator's stream against a real capture of the same provider from
/// `shared/real-traffic/` (beside the repository): every field the real chunks, choices and deltas carry is present
/// in the emulator's, the same terminator ends both, and the finish chunk comes last among the
/// chunks with choices. A provider that changes its stream makes this fail, so the emulator drifts
/// visibly.
@Suite("Compatible emulators' streams have the structure of real captures")
struct CompatRealCaptureStructureTests {
    typealias Support = EmulatorTestSupport

    /// `<repo>/../shared/real-traffic` (the shared folder beside the repository, as in CI).
    static let captures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/real-traffic")

    struct Capture: Sendable, CustomTestStringConvertible {
        let file: String
        let profile: CompatibleEmulatorProfile
        let model: String
        /// Fields the real provider sends that carry nothing a client reads, or that belong to a
        /// feature the emulator does not model; each is named with its reason in `docs/emulators.md`.
        let ignored: Set<String>
        var testDescription: String { self.file }
    }

    static let cases: [Capture] = [
        Capture(file: "groq/chat-stream-tools.vcrpy.yaml", profile: GroqEmulator.profile, model: "openai/gpt-oss-120b", ignored: ["channel"]),
        Capture(file: "mistral/chat-stream.ruby-vcr.yml", profile: MistralEmulator.profile, model: "mistral-small-latest", ignored: ["p"]),
        Capture(file: "xai/chat-stream.ruby-vcr.yml", profile: XAIEmulator.profile, model: "grok-3", ignored: []),
        Capture(
            file: "openrouter/chat-stream.ruby-vcr.yml", profile: OpenRouterEmulator.profile, model: "anthropic/claude-haiku-4.5",
            ignored: ["native_finish_reason", "reasoning_details"]
        ),
        Capture(file: "perplexity/chat-stream.ruby-vcr.yml", profile: PerplexityEmulator.profile, model: "sonar", ignored: []),
        Capture(file: "zai/chat-stream-tools-2turn.ruby-vcr.yml", profile: ZhipuAIEmulator.profile, model: "glm-4.5", ignored: []),
        Capture(file: "ollama/cloud-v1-chat-stream.ruby-vcr.yml", profile: OllamaEmulator.profile, model: "gpt-oss:120b", ignored: []),
        Capture(file: "selfhosted/llamacpp-chat-stream.ruby-vcr.yml", profile: VLLMEmulator.profile, model: "qwen3", ignored: ["timings", "__verbose"]),
    ]

    /// The decoded response bodies of a VCR.py or Ruby VCR cassette, in order.
    static func responseBodies(_ file: String) throws -> [String] {
        let text = try String(contentsOf: Self.captures.appendingPathComponent(file), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let interactions = (document["interactions"] ?? document["http_interactions"]) as? [[String: Any]] ?? []
        return interactions.compactMap { interaction in
            let body = (interaction["response"] as? [String: Any])?["body"] as? [String: Any]
            if let data = body?["string"] as? Data { return String(decoding: data, as: UTF8.self) }
            guard let string = body?["string"] as? String else { return nil }
            // Ruby VCR keeps non-UTF-8-clean bodies as `!binary` base64.
            if body?["encoding"] as? String == "ASCII-8BIT",
                let data = Data(base64Encoded: string.filter { !$0.isWhitespace })
            {
                return String(decoding: data, as: UTF8.self)
            }
            return string
        }
    }

    static func objects(_ body: String) throws -> [JSONValue] {
        try Support.events(body.replacingOccurrences(of: "\r\n", with: "\n"))
            .filter { !$0.data.isEmpty && $0.data != "[DONE]" }
            .map { try JSONValue(parsing: Data($0.data.utf8)) }
    }

    static func missing(real: JSONValue?, emulated: [JSONValue?], ignoring ignored: Set<String>) -> Set<String> {
        let emulatedKeys = emulated.reduce(into: Set<String>()) { $0.formUnion(Support.keys($1)) }
        return Support.keys(real).subtracting(emulatedKeys).subtracting(ignored)
    }

    static func firstChoice(_ chunk: JSONValue?) -> JSONValue? { chunk?["choices"]?.arrayValue?.first }

    @Test("chunk, choice and delta fields of the real stream are present in the emulator's", arguments: cases)
    func streamFields(_ capture: Capture) async throws {
        // A complete stream: one that ends normally when the capture has one.
        let bodies = try Self.responseBodies(capture.file).filter { $0.contains("data:") }
        let realBody = try #require(bodies.first { $0.contains("[DONE]") } ?? bodies.first, "\(capture.file) has no stream")
        let real = try Self.objects(realBody)
        try #require(!real.isEmpty)
        let profile = capture.profile
        let app = CompatEmulatorTests.application(profile)
        try await app.test(.router) { client in
            let body: JSONValue = [
                "model": .string(capture.model), "stream": true, "stream_options": ["include_usage": true],
                "messages": [["role": "user", "content": "Count from 1 to 3"]],
            ]
            let response = try await CompatEmulatorTests.post(client, "\(profile.basePath)/chat/completions", body, key: profile.apiKey)
            let emulatedBody = String(buffer: response.body)
            let emulated = try Self.objects(emulatedBody)
            // Chunk envelopes: every top-level field of any real chunk appears on some emulated chunk.
            for realChunk in real {
                #expect(Self.missing(real: realChunk, emulated: emulated, ignoring: capture.ignored) == [], "\(capture.file) chunk")
            }
            let realChoices = real.compactMap(Self.firstChoice)
            let emulatedChoices = emulated.compactMap(Self.firstChoice)
            for choice in realChoices {
                #expect(Self.missing(real: choice, emulated: emulatedChoices, ignoring: capture.ignored) == [], "\(capture.file) choice")
            }
            // Text deltas: the fields of a real content delta appear on the emulated content deltas.
            let emulatedDeltas = emulatedChoices.compactMap { $0["delta"] }
            for delta in realChoices.compactMap({ $0["delta"] }) where delta["content"]?.stringValue?.isEmpty == false && delta["tool_calls"] == nil {
                #expect(Self.missing(real: delta, emulated: emulatedDeltas, ignoring: capture.ignored.union(["reasoning", "reasoning_content"])) == [], "\(capture.file) delta")
            }
            // Order: the finish reason comes on the last chunk that has choices.
            let realFinish = real.lastIndex { Self.firstChoice($0)?["finish_reason"]?.stringValue != nil }
            let realLastChoice = real.lastIndex { Self.firstChoice($0) != nil }
            let emulatedFinish = emulated.lastIndex { Self.firstChoice($0)?["finish_reason"]?.stringValue != nil }
            let emulatedLastChoice = emulated.lastIndex { Self.firstChoice($0) != nil }
            #expect((realFinish == realLastChoice) == (emulatedFinish == emulatedLastChoice), "\(capture.file) finish position")
            // Terminator: `data: [DONE]` in both, or in neither.
            #expect(realBody.contains("data: [DONE]") == emulatedBody.contains("data: [DONE]"), "\(capture.file) terminator")
        }
    }

    @Test("Ollama's native NDJSON lines have the real fields")
    func ollamaNative() async throws {
        let realBody = try #require(try Self.responseBodies("ollama/api-chat-ndjson-stream.ruby-vcr.yml").first)
        let real = try realBody.split(separator: "\n").map { try JSONValue(parsing: Data($0.utf8)) }
        try await CompatEmulatorTests.application(OllamaEmulator.profile).test(.router) { client in
            let body: JSONValue = ["model": "qwen3:latest", "stream": true, "messages": [["role": "user", "content": "Hello"]]]
            let response = try await CompatEmulatorTests.post(client, "/api/chat", body, key: nil)
            let emulated = try String(buffer: response.body).split(separator: "\n").map { try JSONValue(parsing: Data($0.utf8)) }
            #expect(Support.keys(real.first).subtracting(Support.keys(emulated.first)) == [])
            #expect(Support.keys(real.last).subtracting(Support.keys(emulated.last)) == [])
            #expect(Support.keys(real.first?["message"]).subtracting(Support.keys(emulated.first?["message"])) == [])
            #expect(real.last?["done"] == true && emulated.last?["done"] == true)
        }
    }

    @Test("Groq's 400 tool_use_failed has the real error fields")
    func groqToolUseFailed() throws {
        let text = try String(contentsOf: Self.captures.appendingPathComponent("groq/chat-400-tool-use-failed.vcrpy.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let interactions = try #require(document["interactions"] as? [[String: Any]])
        let body = try #require((interactions.first?["response"] as? [String: Any])?["parsed_body"] as? [String: Any])
        let realError = try #require(body["error"] as? [String: Any])
        let emulated = CompatibleChatCompletionsHandler.toolUseFailedError(tools: [["type": "function", "function": ["name": "f"]]])
        #expect(Set(realError.keys).subtracting(Support.keys(emulated.body["error"])) == [])
    }

    @Test("Azure's stream has the real first chunk with prompt_filter_results and content_filter_results on choices")
    func azureStream() async throws {
        let realBody = try #require(try Self.responseBodies("azure/foundry-models-chat-stream.ruby-vcr.yml").first)
        let real = try Self.objects(realBody)
        try await CompatEmulatorTests.application(AzureOpenAIEmulator.profile).test(.router) { client in
            let body: JSONValue = ["model": "gpt-4o", "stream": true, "stream_options": ["include_usage": true], "messages": [["role": "user", "content": "Hello"]]]
            let response = try await CompatEmulatorTests.post(
                client, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", body, key: AzureOpenAIEmulator.apiKey, azure: true
            )
            let emulated = try Self.objects(String(buffer: response.body))
            let realChoices = real.compactMap(Self.firstChoice)
            let emulatedChoices = emulated.compactMap(Self.firstChoice)
            for choice in realChoices {
                #expect(Self.missing(real: choice, emulated: emulatedChoices, ignoring: []) == [])
            }
            for chunk in real {
                #expect(Self.missing(real: chunk, emulated: emulated, ignoring: []) == [])
            }
        }
    }

    /// The parsed JSON body of a VCR.py capture's first response (pydantic-ai's serializer).
    static func parsedBody(_ file: String) throws -> JSONValue {
        let text = try String(contentsOf: Self.captures.appendingPathComponent(file), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let interactions = try #require(document["interactions"] as? [[String: Any]])
        let body = try #require((interactions.first?["response"] as? [String: Any])?["parsed_body"])
        return try JSONValue(parsing: JSONSerialization.data(withJSONObject: body))
    }

    @Test(
        "non-stream answers have the real object, choice, message and usage fields",
        arguments: [
            ("cerebras/chat.vcrpy.yaml", CerebrasEmulator.profile, "llama3.1-8b"),
            ("zai/chat.vcrpy.yaml", ZhipuAIEmulator.profile, "glm-4.5"),
        ]
    )
    func nonStreamFields(_ file: String, _ profile: CompatibleEmulatorProfile, _ model: String) async throws {
        let real = try Self.parsedBody(file)
        try await CompatEmulatorTests.application(profile).test(.router) { client in
            let body: JSONValue = ["model": .string(model), "messages": [["role": "user", "content": "Hello"]]]
            let emulated = try Support.json(try await CompatEmulatorTests.post(client, "\(profile.basePath)/chat/completions", body, key: profile.apiKey))
            #expect(Support.keys(real).subtracting(Support.keys(emulated)) == [], "\(file)")
            let realChoice = Self.firstChoice(real), emulatedChoice = Self.firstChoice(emulated)
            #expect(Support.keys(realChoice).subtracting(Support.keys(emulatedChoice)) == [], "\(file)")
            #expect(Support.keys(realChoice?["message"]).subtracting(Support.keys(emulatedChoice?["message"])) == [], "\(file)")
            #expect(Support.keys(real["usage"]).subtracting(Support.keys(emulated["usage"])) == [], "\(file)")
            #expect(Support.keys(real["time_info"]).subtracting(Support.keys(emulated["time_info"])) == [], "\(file)")
        }
    }

    @Test("Groq's streamed tool_use_failed is an error event with the real fields, after a first chunk")
    func groqStreamedToolUseFailed() async throws {
        let realBody = try #require(try Self.responseBodies("groq/chat-stream-tools.vcrpy.yaml").first)
        let realEvents = Support.events(realBody)
        let realError = try #require(realEvents.last)
        #expect(realError.event == "error")
        try await CompatEmulatorTests.application(GroqEmulator.profile).test(.router) { client in
            let body: JSONValue = [
                "model": "openai/gpt-oss-120b", "stream": true, "messages": [["role": "user", "content": "[tool_use_failed]"]],
                "tools": [["type": "function", "function": ["name": "get_something_by_name", "parameters": ["type": "object"]]]],
            ]
            let response = try await CompatEmulatorTests.post(client, "/openai/v1/chat/completions", body, key: GroqEmulator.apiKey)
            let events = Support.events(String(buffer: response.body))
            let emulatedError = try #require(events.last)
            #expect(emulatedError.event == realError.event)
            let real = try JSONValue(parsing: Data(realError.data.utf8))["error"]
            let emulated = try JSONValue(parsing: Data(emulatedError.data.utf8))["error"]
            #expect(Support.keys(real).subtracting(Support.keys(emulated)) == [])
            #expect(realEvents.contains { $0.data == "[DONE]" } == events.contains { $0.data == "[DONE]" })
        }
    }

    @Test("OpenRouter's keep-alive comments and in-stream error chunk have the real shape")
    func openRouterMidStreamError() async throws {
        let realBody = try #require(try Self.responseBodies("openrouter/chat-stream-midstream-error.vcrpy.yaml").first)
        #expect(realBody.hasPrefix(": OPENROUTER PROCESSING"))
        let real = try Self.objects(realBody)
        let realError = try #require(real.last { $0["error"] != nil })
        try await CompatEmulatorTests.application(OpenRouterEmulator.profile).test(.router) { client in
            let body: JSONValue = ["model": "minimax/midstream-error", "stream": true, "stream_options": ["include_usage": true], "messages": [["role": "user", "content": "Hello there"]]]
            let response = try await CompatEmulatorTests.post(client, "/api/v1/chat/completions", body, key: OpenRouterEmulator.apiKey)
            let text = String(buffer: response.body)
            #expect(text.hasPrefix(": OPENROUTER PROCESSING"))
            let emulated = try Self.objects(text)
            let emulatedError = try #require(emulated.last { $0["error"] != nil })
            #expect(Support.keys(realError).subtracting(Support.keys(emulatedError)) == [])
            #expect(Support.keys(realError["error"]).subtracting(Support.keys(emulatedError["error"])) == [])
            #expect(Support.keys(Self.firstChoice(realError)).subtracting(Support.keys(Self.firstChoice(emulatedError))) == [])
            #expect(realBody.contains("data: [DONE]") == text.contains("data: [DONE]"))
        }
    }
}
