import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// The two emulators with routes of their own: Ollama's native API and Azure's URL forms.
@Suite("Ollama native and Azure OpenAI emulators")
struct CompatOllamaAzureEmulatorTests {
    typealias Compat = CompatEmulatorTests
    typealias Support = EmulatorTestSupport

    static func lines(_ response: TestResponse) throws -> [JSONValue] {
        try String(buffer: response.body).split(separator: "\n").map { try JSONValue(parsing: Data($0.utf8)) }
    }

    @Test("Ollama /api/chat streams NDJSON by default, ending with a done line with durations")
    func ollamaChatStream() async throws {
        try await Compat.application(OllamaEmulator.profile).test(.router) { client in
            let body: JSONValue = ["model": "llama3.2", "messages": [["role": "user", "content": "Hello there"]]]
            let response = try await Compat.post(client, "/api/chat", body, key: nil)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let lines = try Self.lines(response)
            #expect(lines.dropLast().allSatisfy { $0["done"] == false })
            let done = try #require(lines.last)
            #expect(done["done"] == true && done["done_reason"] == "stop")
            #expect(done["eval_count"] != nil && done["total_duration"] != nil)
            #expect(lines.compactMap { $0["message"]?["content"]?.stringValue }.joined() == "Echo: Hello there")
        }
    }

    @Test("Ollama /api/chat with stream false answers one object; tool calls carry object arguments")
    func ollamaChatToolCall() async throws {
        try await Compat.application(OllamaEmulator.profile).test(.router) { client in
            let body: JSONValue = [
                "model": "qwen3", "stream": false, "messages": [["role": "user", "content": "run the system command"]],
                "tools": [["type": "function", "function": ["name": "system", "parameters": ["type": "object", "properties": ["command": ["type": "string"]], "required": ["command"]]]]],
            ]
            let object = try Support.json(try await Compat.post(client, "/api/chat", body, key: nil))
            let call = try #require(object["message"]?["tool_calls"]?.arrayValue?.first)
            #expect(call["function"]?["name"] == "system")
            #expect(call["function"]?["arguments"]?.objectValue != nil)
        }
    }

    @Test("Ollama /api/tags lists models, /api/embed embeds, errors are {\"error\": text}")
    func ollamaOthers() async throws {
        try await Compat.application(OllamaEmulator.profile).test(.router) { client in
            let tags = try Support.json(try await client.execute(uri: "/api/tags", method: .get))
            #expect(tags["models"]?.arrayValue?.first?["details"]?["family"] != nil)
            let embed = try Support.json(try await Compat.post(client, "/api/embed", ["model": "nomic-embed-text", "input": ["a", "b"]], key: nil))
            #expect(embed["embeddings"]?.arrayValue?.count == 2)
            let missing = try await Compat.post(client, "/api/chat", ["messages": []], key: nil)
            #expect(missing.status == .badRequest)
            #expect(try Support.json(missing)["error"] == "model is required")
        }
    }

    @Test("Azure: deployment path with api-version and api-key; content filter fields")
    func azureDeployment() async throws {
        try await Compat.application(AzureOpenAIEmulator.profile).test(.router) { client in
            let path = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"
            let response = try await Compat.post(client, path, Compat.hello, key: AzureOpenAIEmulator.apiKey, azure: true)
            #expect(response.status == .ok)
            let object = try Support.json(response)
            #expect(object["prompt_filter_results"] != nil)
            #expect(object["choices"]?.arrayValue?.first?["content_filter_results"] != nil)
            let stream = try Support.dataObjects(try await Compat.post(client, path, Compat.helloStream, key: AzureOpenAIEmulator.apiKey, azure: true))
            #expect(stream.first?["choices"]?.arrayValue == [])
            #expect(stream.first?["prompt_filter_results"] != nil)
        }
    }

    @Test("Azure: a missing or malformed api-version is 404 Resource not found; an unknown deployment DeploymentNotFound")
    func azureValidation() async throws {
        try await Compat.application(AzureOpenAIEmulator.profile).test(.router) { client in
            for path in ["/openai/deployments/gpt-4o/chat/completions", "/openai/deployments/gpt-4o/chat/completions?api-version=latest"] {
                let response = try await Compat.post(client, path, Compat.hello, key: AzureOpenAIEmulator.apiKey, azure: true)
                #expect(response.status == .notFound)
                #expect(try Support.json(response)["error"]?["message"] == "Resource not found")
            }
            let missing = try await Compat.post(
                client,
                "/openai/deployments/does-not-exist/chat/completions?api-version=2024-10-21",
                Compat.hello,
                key: AzureOpenAIEmulator.apiKey,
                azure: true
            )
            #expect(try Support.json(missing)["error"]?["code"] == "DeploymentNotFound")
        }
    }

    @Test("Azure: the v1 form needs no api-version and takes a bearer key; a wrong key gets Azure's 401")
    func azureV1() async throws {
        try await Compat.application(AzureOpenAIEmulator.profile).test(.router) { client in
            let response = try await Compat.post(client, "/openai/v1/chat/completions", Compat.hello, key: AzureOpenAIEmulator.apiKey)
            #expect(response.status == .ok)
            let responses = try await Compat.post(client, "/openai/responses?api-version=2025-04-01-preview", ["model": "gpt-4o", "input": "Hi"], key: AzureOpenAIEmulator.apiKey, azure: true)
            #expect(responses.status == .ok)
            let refused = try await Compat.post(client, "/openai/v1/chat/completions", Compat.hello, key: "bad")
            #expect(refused.status == .unauthorized)
            #expect(try Support.json(refused)["error"]?["code"] == "401")
        }
    }

    @Test("the env file gains each provider's variables, including the SDKs' own")
    func environmentVariables() {
        let endpoints = EmulatorCatalog.all.enumerated().map { index, declaration in
            EmulatorEndpoint(provider: declaration.provider, host: "127.0.0.1", port: 9100 + index, basePath: declaration.basePath, apiKey: declaration.apiKey)
        }
        let variables = Dictionary(MockEnvironment.variables(for: endpoints).map { ($0.name, $0.value) }) { first, _ in first }
        #expect(variables["ARCHESTRA_GROQ_BASE_URL"] == "http://127.0.0.1:9101/openai/v1")
        #expect(variables["GROQ_BASE_URL"] == "http://127.0.0.1:9101")
        #expect(variables["ARCHESTRA_CHAT_MINIMAX_BASE_URL"] == "http://127.0.0.1:9107/v1")
        #expect(variables["ARCHESTRA_PERPLEXITY_BASE_URL"] == "http://127.0.0.1:9106")
        #expect(variables["OLLAMA_HOST"] == "http://127.0.0.1:9110")
        #expect(variables["AZURE_OPENAI_ENDPOINT"] == "http://127.0.0.1:9111")
        #expect(variables["ARCHESTRA_AZURE_OPENAI_BASE_URL"] == "http://127.0.0.1:9111/openai")
        #expect(variables["OPENAI_API_VERSION"] != nil)
        for key in ["GROQ_API_KEY", "MISTRAL_API_KEY", "ZHIPUAI_API_KEY", "ZHIPUAI_BASE_URL", "ARCHESTRA_CHAT_VLLM_API_KEY", "ARCHESTRA_CHAT_AZURE_OPENAI_API_KEY"] {
            #expect(variables[key] != nil, "\(key)")
        }
    }
}
