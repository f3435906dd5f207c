import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Proxy
import Testing

/// The OpenAI-compatible providers: each one's route, base URL, key and URL layout.
@Suite(.timeLimit(.minutes(1)))
struct CompatRoutingTests {
    typealias Echo = ForwardingTests.Echo

    /// A provider, the variable pointing it at the stand-in upstream, and the path of its real
    /// base URL (which the stand-in's URL repeats).
    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let baseURLVariable: String
        let keyVariable: String
        let basePath: String
        var testDescription: String { self.id }
    }

    static let cases: [Case] = [
        Case(id: "groq", baseURLVariable: "ARCHESTRA_GROQ_BASE_URL", keyVariable: "ARCHESTRA_CHAT_GROQ_API_KEY", basePath: "/openai/v1"),
        Case(id: "mistral", baseURLVariable: "ARCHESTRA_MISTRAL_BASE_URL", keyVariable: "ARCHESTRA_CHAT_MISTRAL_API_KEY", basePath: "/v1"),
        Case(id: "xai", baseURLVariable: "ARCHESTRA_XAI_BASE_URL", keyVariable: "ARCHESTRA_CHAT_XAI_API_KEY", basePath: "/v1"),
        Case(id: "openrouter", baseURLVariable: "ARCHESTRA_OPENROUTER_BASE_URL", keyVariable: "ARCHESTRA_CHAT_OPENROUTER_API_KEY", basePath: "/api/v1"),
        Case(id: "cerebras", baseURLVariable: "ARCHESTRA_CEREBRAS_BASE_URL", keyVariable: "ARCHESTRA_CHAT_CEREBRAS_API_KEY", basePath: "/v1"),
        Case(id: "perplexity", baseURLVariable: "ARCHESTRA_PERPLEXITY_BASE_URL", keyVariable: "ARCHESTRA_CHAT_PERPLEXITY_API_KEY", basePath: ""),
        Case(id: "minimax", baseURLVariable: "ARCHESTRA_CHAT_MINIMAX_BASE_URL", keyVariable: "ARCHESTRA_CHAT_MINIMAX_API_KEY", basePath: "/v1"),
        Case(id: "zhipuai", baseURLVariable: "ARCHESTRA_ZHIPUAI_BASE_URL", keyVariable: "ARCHESTRA_CHAT_ZHIPUAI_API_KEY", basePath: "/api/paas/v4"),
        Case(id: "vllm", baseURLVariable: "ARCHESTRA_VLLM_BASE_URL", keyVariable: "ARCHESTRA_CHAT_VLLM_API_KEY", basePath: "/v1"),
        Case(id: "ollama", baseURLVariable: "ARCHESTRA_OLLAMA_BASE_URL", keyVariable: "ARCHESTRA_CHAT_OLLAMA_API_KEY", basePath: "/v1"),
    ]

    static let profile = testProfileID.uuidString.lowercased()

    func echo(_ request: HTTPClientRequest, environment: [String: String], upstreamPort: Int) async throws -> (HTTPClientResponse, String) {
        try await withProxy(upstreamPort: upstreamPort, environment: environment) { proxy in
            try await withTestClient { client in
                var request = request
                request.url = proxy + request.url
                let response = try await client.execute(request, timeout: .seconds(10))
                return (response, try await response.bodyText())
            }
        }
    }

    @Test("chat completions, with and without a profile id, go to the provider's base URL with the client's key", arguments: cases)
    func chatRoute(_ provider: Case) async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = [provider.baseURLVariable: "http://127.0.0.1:\(port)\(provider.basePath)"]
            for path in ["/v1/\(provider.id)/chat/completions", "/v1/\(provider.id)/\(Self.profile)/chat/completions"] {
                let (response, text) = try await self.echo(
                    openAIRequest(path, json: #"{"model":"m","messages":[]}"#, key: "client-key"),
                    environment: environment,
                    upstreamPort: port
                )
                #expect(response.status == .ok)
                let echo = try JSONDecoder().decode(Echo.self, from: Data(text.utf8))
                #expect(echo.path == "\(provider.basePath)/chat/completions")
                #expect(echo.headers["authorization"] == ["Bearer client-key"])
            }
        }
    }

    @Test("a client that sends no key gets ARCHESTRA_CHAT_<P>_API_KEY upstream", arguments: cases)
    func fallbackKey(_ provider: Case) async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = [provider.baseURLVariable: "http://127.0.0.1:\(port)\(provider.basePath)", provider.keyVariable: "fallback-key"]
            let (_, text) = try await self.echo(
                openAIRequest("/v1/\(provider.id)/chat/completions", json: #"{"model":"m","messages":[]}"#, key: nil),
                environment: environment,
                upstreamPort: port
            )
            let echo = try JSONDecoder().decode(Echo.self, from: Data(text.utf8))
            #expect(echo.headers["authorization"] == ["Bearer fallback-key"])
        }
    }

    @Test("an SDK's own prefix is dropped: groq's /openai/v1, mistralai's /v1, zhipuai's /api/paas/v4")
    func sdkPrefixes() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = [
                "ARCHESTRA_GROQ_BASE_URL": "http://127.0.0.1:\(port)/openai/v1",
                "ARCHESTRA_MISTRAL_BASE_URL": "http://127.0.0.1:\(port)/v1",
                "ARCHESTRA_ZHIPUAI_BASE_URL": "http://127.0.0.1:\(port)/api/paas/v4",
            ]
            for (path, expected) in [
                ("/v1/groq/openai/v1/chat/completions", "/openai/v1/chat/completions"),
                ("/v1/mistral/v1/embeddings", "/v1/embeddings"),
                ("/v1/zhipuai/api/paas/v4/chat/completions", "/api/paas/v4/chat/completions"),
                ("/v1/mistral/v1/fim/completions", "/v1/fim/completions"),
            ] {
                let (_, text) = try await self.echo(openAIRequest(path, json: #"{"model":"m","input":"x"}"#), environment: environment, upstreamPort: port)
                #expect(try JSONDecoder().decode(Echo.self, from: Data(text.utf8)).path == expected)
            }
        }
    }

    @Test("vLLM without ARCHESTRA_VLLM_BASE_URL answers 503 naming the variable")
    func vLLMNotConfigured() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let (response, text) = try await self.echo(
                openAIRequest("/v1/vllm/chat/completions", json: #"{"model":"m","messages":[]}"#),
                environment: [:],
                upstreamPort: port
            )
            #expect(response.status == .serviceUnavailable)
            #expect(text.contains("provider_not_configured"))
            #expect(text.contains("ARCHESTRA_VLLM_BASE_URL"))
        }
    }

    @Test("vLLM and Ollama forward a request without any key", arguments: ["vllm", "ollama"])
    func keylessSelfHosted(_ id: String) async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let variable = id == "vllm" ? "ARCHESTRA_VLLM_BASE_URL" : "ARCHESTRA_OLLAMA_BASE_URL"
            let (response, text) = try await self.echo(
                openAIRequest("/v1/\(id)/chat/completions", json: #"{"model":"m","messages":[]}"#, key: nil),
                environment: [variable: "http://127.0.0.1:\(port)/v1"],
                upstreamPort: port
            )
            #expect(response.status == .ok)
            #expect(try JSONDecoder().decode(Echo.self, from: Data(text.utf8)).headers["authorization"] == nil)
        }
    }

    @Test("Ollama's native /api paths go to the server root, the base URL without /v1")
    func ollamaNative() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = ["ARCHESTRA_OLLAMA_BASE_URL": "http://127.0.0.1:\(port)/v1"]
            let (_, chat) = try await self.echo(
                openAIRequest("/v1/ollama/api/chat", json: #"{"model":"llama3.2","messages":[]}"#, key: nil),
                environment: environment,
                upstreamPort: port
            )
            #expect(try JSONDecoder().decode(Echo.self, from: Data(chat.utf8)).path == "/api/chat")
            var tags = HTTPClientRequest(url: "/v1/ollama/\(Self.profile)/api/tags")
            tags.method = .GET
            let (_, listing) = try await self.echo(tags, environment: environment, upstreamPort: port)
            #expect(try JSONDecoder().decode(Echo.self, from: Data(listing.utf8)).path == "/api/tags")
        }
    }

    @Test("Ollama's native chat and generate stream unless the body says not to; its embeddings never do")
    func ollamaNativeSummary() throws {
        let dialect = OpenAIDialect()
        func summary(_ path: String, _ json: String) throws -> RequestSummary {
            try dialect.summarize(requestBody: ByteBuffer(string: json), nativePath: path)
        }
        #expect(try summary("/api/chat", #"{"model":"llama3.2","messages":[]}"#) == RequestSummary(model: "llama3.2", isStreaming: true))
        #expect(try summary("/api/generate", #"{"model":"llama3.2","prompt":"hi"}"#).isStreaming)
        #expect(try !summary("/api/chat", #"{"model":"llama3.2","messages":[],"stream":false}"#).isStreaming)
        #expect(try !summary("/api/embed", #"{"model":"all-minilm","input":"hi"}"#).isStreaming)
        // The OpenAI-compatible API keeps OpenAI's default.
        #expect(try !summary("/chat/completions", #"{"model":"llama3.2","messages":[]}"#).isStreaming)
        #expect(dialect.requiresJSONBody(nativePath: "/api/chat"))
        #expect(!dialect.requiresJSONContentType(nativePath: "/api/chat"))
        #expect(dialect.requiresJSONContentType(nativePath: "/chat/completions"))
    }

    @Test("Ollama's native API takes a JSON body under any content type, as Ollama does, and refuses a body that is not JSON")
    func ollamaNativeContentType() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = ["ARCHESTRA_OLLAMA_BASE_URL": "http://127.0.0.1:\(port)/v1"]
            // What `curl -d` sends, as Ollama's own documentation does.
            var form = openAIRequest("/v1/ollama/api/generate", json: #"{"model":"llama3.2","prompt":"hi","stream":false}"#, key: nil)
            form.headers.replaceOrAdd(name: "content-type", value: "application/x-www-form-urlencoded")
            let (accepted, _) = try await self.echo(form, environment: environment, upstreamPort: port)
            #expect(accepted.status == .ok)
            let (refused, body) = try await self.echo(openAIRequest("/v1/ollama/api/chat", json: "model=llama3.2", key: nil), environment: environment, upstreamPort: port)
            #expect(refused.status == .badRequest)
            #expect(body.contains(#""code":"invalid_json""#), "\(body)")
        }
    }

    @Test("OpenRouter's attribution headers come from the configuration")
    func openRouterAttribution() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = [
                "ARCHESTRA_OPENROUTER_BASE_URL": "http://127.0.0.1:\(port)/api/v1",
                "ARCHESTRA_OPENROUTER_REFERER": "https://archestra.example",
                "ARCHESTRA_OPENROUTER_TITLE": "Archestra",
                "ARCHESTRA_OPENROUTER_CATEGORIES": "cli-agent,programming-app",
            ]
            let (_, text) = try await self.echo(
                openAIRequest("/v1/openrouter/chat/completions", json: #"{"model":"a/b","messages":[]}"#),
                environment: environment,
                upstreamPort: port
            )
            let echo = try JSONDecoder().decode(Echo.self, from: Data(text.utf8))
            #expect(echo.headers["http-referer"] == ["https://archestra.example"])
            #expect(echo.headers["x-openrouter-title"] == ["Archestra"])
            #expect(echo.headers["x-openrouter-categories"] == ["cli-agent,programming-app"])
        }
    }

    @Test("every compatible provider has its documented default base URL; vLLM and Azure have none")
    func defaults() throws {
        let configuration = try ProxyConfiguration(environment: [:])
        let expected: [String: String?] = [
            "groq": "https://api.groq.com/openai/v1", "mistral": "https://api.mistral.ai/v1", "xai": "https://api.x.ai/v1",
            "openrouter": "https://openrouter.ai/api/v1", "cerebras": "https://api.cerebras.ai/v1", "perplexity": "https://api.perplexity.ai",
            "minimax": "https://api.minimax.io/v1", "zhipuai": "https://api.z.ai/api/paas/v4", "ollama": "http://localhost:11434/v1",
            "vllm": nil, "azure": nil,
        ]
        for (id, url) in expected {
            let provider = try #require(configuration.provider(id: id), "\(id) is not served")
            #expect(provider.baseURL == url, "\(id)")
        }
    }

    @Test("MiniMax's base URL is read from ARCHESTRA_CHAT_MINIMAX_BASE_URL")
    func miniMaxVariable() throws {
        let configuration = try ProxyConfiguration(environment: ["ARCHESTRA_CHAT_MINIMAX_BASE_URL": "https://api.minimaxi.com/v1/"])
        #expect(configuration.provider(id: "minimax")?.baseURL == "https://api.minimaxi.com/v1")
    }
}
