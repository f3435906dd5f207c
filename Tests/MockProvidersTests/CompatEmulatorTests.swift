import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// The OpenAI-compatible emulators: each at its base path, with its key, its 401 and its quirks.
@Suite("OpenAI-compatible emulators")
struct CompatEmulatorTests {
    typealias Support = EmulatorTestSupport

    static let profiles: [CompatibleEmulatorProfile] = [
        GroqEmulator.profile, MistralEmulator.profile, XAIEmulator.profile, OpenRouterEmulator.profile, CerebrasEmulator.profile,
        PerplexityEmulator.profile, MiniMaxEmulator.profile, ZhipuAIEmulator.profile, VLLMEmulator.profile, OllamaEmulator.profile,
    ]

    static func application(_ profile: CompatibleEmulatorProfile) -> some ApplicationProtocol {
        Application(router: CompatibleEmulator.makeRouter(profile: profile), configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    static func headers(key: String?, scenario: String? = nil, azure: Bool = false) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key {
            if azure, let name = HTTPField.Name("api-key") { headers[name] = key } else { headers[.authorization] = "Bearer \(key)" }
        }
        if let scenario, let name = HTTPField.Name("x-mock-scenario") { headers[name] = scenario }
        return headers
    }

    static func post(
        _ client: some TestClientProtocol,
        _ path: String,
        _ body: JSONValue,
        key: String?,
        scenario: String? = nil,
        azure: Bool = false
    ) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: Self.headers(key: key, scenario: scenario, azure: azure), body: ByteBuffer(bytes: body.encodedData()))
    }

    /// The JSON of every `data:` event except `[DONE]`; comment-only events (OpenRouter's
    /// keep-alives) carry no data and are skipped.
    static func dataObjects(_ response: TestResponse) throws -> [JSONValue] {
        try Support.events(String(buffer: response.body).replacingOccurrences(of: "\r\n", with: "\n"))
            .filter { !$0.data.isEmpty && $0.data != "[DONE]" }
            .map { try JSONValue(parsing: Data($0.data.utf8)) }
    }

    static let hello: JSONValue = ["model": "m", "messages": [["role": "user", "content": "Hello there"]]]
    static let helloStream: JSONValue = ["model": "m", "stream": true, "messages": [["role": "user", "content": "Hello there"]]]

    @Test("each emulator answers chat completions at its base path, as one object and as a stream", arguments: profiles.map(\.provider))
    func chatAtBasePath(_ provider: String) async throws {
        let profile = try #require(Self.profiles.first { $0.provider == provider })
        try await Self.application(profile).test(.router) { client in
            let response = try await Self.post(client, "\(profile.basePath)/chat/completions", Self.hello, key: profile.apiKey)
            #expect(response.status == .ok)
            let object = try Support.json(response)
            #expect(object["choices"]?.arrayValue?.first?["message"]?["content"] == "Echo: Hello there")

            let stream = try await Self.post(client, "\(profile.basePath)/chat/completions", Self.helloStream, key: profile.apiKey)
            #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            // Perplexity ends without `[DONE]`, as the real API does.
            #expect(String(buffer: stream.body).hasSuffix("data: [DONE]\n\n") == (provider != "perplexity"))
            let text = try Self.dataObjects(stream).compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == "Echo: Hello there")
        }
    }

    @Test("each hosted emulator refuses a wrong key with its provider's own body", arguments: profiles.map(\.provider))
    func wrongKey(_ provider: String) async throws {
        let profile = try #require(Self.profiles.first { $0.provider == provider })
        try await Self.application(profile).test(.router) { client in
            let response = try await Self.post(client, "\(profile.basePath)/chat/completions", Self.hello, key: "wrong-key-0123456789")
            let expected = profile.unauthorized("wrong*****************6789")
            #expect(response.status == expected.status)
            let body = try Support.json(response)
            #expect(Support.keys(body) == Support.keys(expected.body))
        }
    }

    @Test("hosted emulators refuse a request without a key; vLLM and Ollama accept it")
    func missingKey() async throws {
        for profile in Self.profiles {
            try await Self.application(profile).test(.router) { client in
                let response = try await Self.post(client, "\(profile.basePath)/chat/completions", Self.hello, key: nil)
                if profile.provider == "vllm" || profile.provider == "ollama" {
                    #expect(response.status == .ok, "\(profile.provider)")
                } else {
                    #expect(response.status == profile.unauthorized(nil).status, "\(profile.provider)")
                }
            }
        }
    }

    @Test("the OpenAI emulator's scripted failures apply to every compatible emulator", arguments: profiles.map(\.provider))
    func scenarios(_ provider: String) async throws {
        let profile = try #require(Self.profiles.first { $0.provider == provider })
        try await Self.application(profile).test(.router) { client in
            let limited = try await Self.post(client, "\(profile.basePath)/chat/completions", Self.hello, key: profile.apiKey, scenario: "rate-limit;retry-after=3")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "3")
            let failed = try await Self.post(client, "\(profile.basePath)/chat/completions", ["model": "m@server-error", "messages": []], key: profile.apiKey)
            #expect(failed.status == .internalServerError)
        }
    }

    @Test("Groq: x_groq on the first and last chunk, usage on the finish chunk, reasoning deltas")
    func groqStream() async throws {
        try await Self.application(GroqEmulator.profile).test(.router) { client in
            let body: JSONValue = [
                "model": "openai/gpt-oss-120b", "stream": true, "stream_options": ["include_usage": true],
                "messages": [["role": "user", "content": "Hi"]],
            ]
            let chunks = try Self.dataObjects(try await Self.post(client, "/openai/v1/chat/completions", body, key: GroqEmulator.apiKey))
            #expect(chunks.first?["x_groq"]?["id"] != nil)
            let last = try #require(chunks.last)
            #expect(last["x_groq"]?["usage"]?["total_tokens"] != nil)
            #expect(last["usage"] != nil)
            #expect(last["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
            #expect(chunks.contains { $0["choices"]?.arrayValue?.first?["delta"]?["reasoning"] != nil })
        }
    }

    @Test("Groq: tool_use_failed 400 with failed_generation")
    func groqToolUseFailed() async throws {
        try await Self.application(GroqEmulator.profile).test(.router) { client in
            let body: JSONValue = [
                "model": "m", "messages": [["role": "user", "content": "call it [tool_use_failed]"]],
                "tools": [["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]],
            ]
            let response = try await Self.post(client, "/openai/v1/chat/completions", body, key: GroqEmulator.apiKey)
            #expect(response.status == .badRequest)
            let error = try Support.json(response)["error"]
            #expect(error?["code"] == "tool_use_failed")
            #expect(error?["failed_generation"]?.stringValue?.contains("get_weather") == true)
        }
    }

    @Test("Perplexity: citations and search_results on the answer and on every chunk")
    func perplexityCitations() async throws {
        try await Self.application(PerplexityEmulator.profile).test(.router) { client in
            let object = try Support.json(try await Self.post(client, "/chat/completions", Self.hello, key: PerplexityEmulator.apiKey))
            #expect(object["citations"]?.arrayValue?.isEmpty == false)
            #expect(object["search_results"]?.arrayValue?.first?["url"] != nil)
            let chunks = try Self.dataObjects(try await Self.post(client, "/chat/completions", Self.helloStream, key: PerplexityEmulator.apiKey))
            #expect(chunks.allSatisfy { $0["citations"] != nil && $0["usage"] != nil })
        }
    }

    @Test("OpenRouter: keep-alive comments first, and an error chunk inside a 200 stream")
    func openRouterStream() async throws {
        try await Self.application(OpenRouterEmulator.profile).test(.router) { client in
            let stream = try await Self.post(client, "/api/v1/chat/completions", Self.helloStream, key: OpenRouterEmulator.apiKey)
            #expect(String(buffer: stream.body).hasPrefix(": OPENROUTER PROCESSING\n\n"))
            let failing: JSONValue = ["model": "mock/midstream-error", "stream": true, "messages": [["role": "user", "content": "Hello there"]]]
            let broken = try await Self.post(client, "/api/v1/chat/completions", failing, key: OpenRouterEmulator.apiKey)
            #expect(broken.status == .ok)
            let chunks = try Self.dataObjects(broken)
            #expect(chunks.last?["error"]?["message"] != nil)
            #expect(chunks.last?["choices"]?.arrayValue?.first?["finish_reason"] == "error")
        }
    }

    @Test("MiniMax: base_resp on answers, the native chatcompletion_v2 path, a 1004 base_resp on a bad key")
    func miniMax() async throws {
        try await Self.application(MiniMaxEmulator.profile).test(.router) { client in
            let object = try Support.json(try await Self.post(client, "/v1/text/chatcompletion_v2", Self.hello, key: MiniMaxEmulator.apiKey))
            #expect(object["base_resp"]?["status_code"] == 0)
            let refused = try await Self.post(client, "/v1/chat/completions", Self.hello, key: "nope")
            #expect(try Support.json(refused)["base_resp"]?["status_code"] == 1004)
        }
    }

    @Test("reasoning models stream reasoning_content (Mistral, xAI, ZhipuAI, vLLM)")
    func reasoningContent() async throws {
        for profile in [MistralEmulator.profile, XAIEmulator.profile, ZhipuAIEmulator.profile, VLLMEmulator.profile] {
            try await Self.application(profile).test(.router) { client in
                let body: JSONValue = ["model": "magistral-medium-latest", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
                let chunks = try Self.dataObjects(try await Self.post(client, "\(profile.basePath)/chat/completions", body, key: profile.apiKey))
                #expect(chunks.contains { $0["choices"]?.arrayValue?.first?["delta"]?["reasoning_content"] != nil }, "\(profile.provider)")
            }
        }
    }

    @Test("Mistral's tool_choice any forces a tool call")
    func mistralAny() async throws {
        try await Self.application(MistralEmulator.profile).test(.router) { client in
            let body: JSONValue = [
                "model": "mistral-small-latest", "tool_choice": "any", "messages": [["role": "user", "content": "Hi"]],
                "tools": [["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object", "properties": ["city": ["type": "string"]]]]]],
            ]
            let object = try Support.json(try await Self.post(client, "/v1/chat/completions", body, key: MistralEmulator.apiKey))
            #expect(object["choices"]?.arrayValue?.first?["message"]?["tool_calls"]?.arrayValue?.first?["function"]?["name"] == "get_weather")
        }
    }

    @Test("Mistral's embeddings carry an id, which the mistralai SDK requires")
    func mistralEmbeddingsID() async throws {
        try await Self.application(MistralEmulator.profile).test(.router) { client in
            let object = try Support.json(try await Self.post(client, "/v1/embeddings", ["model": "mistral-embed", "input": ["a"]], key: MistralEmulator.apiKey))
            #expect(object["id"]?.stringValue?.hasPrefix("embd-") == true)
        }
    }

    @Test("Groq streaming: tool_use_failed arrives as an error event inside a 200 stream, without [DONE]")
    func groqToolUseFailedStream() async throws {
        try await Self.application(GroqEmulator.profile).test(.router) { client in
            let body: JSONValue = [
                "model": "m", "stream": true, "messages": [["role": "user", "content": "[tool_use_failed]"]],
                "tools": [["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]],
            ]
            let response = try await Self.post(client, "/openai/v1/chat/completions", body, key: GroqEmulator.apiKey)
            #expect(response.status == .ok)
            let events = Support.events(String(buffer: response.body))
            let last = try #require(events.last)
            #expect(last.event == "error")
            let error = try JSONValue(parsing: Data(last.data.utf8))["error"]
            #expect(error?["code"] == "tool_use_failed" && error?["status_code"] == 400)
            #expect(!events.contains { $0.data == "[DONE]" })
        }
    }
}
