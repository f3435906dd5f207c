import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Proxy
import Testing

/// Azure OpenAI: deployment routing and `api-version` for resource URLs, paths as-is for Foundry
/// v1 URLs, the client's key re-sent as `api-key`.
@Suite(.timeLimit(.minutes(1)))
struct CompatAzureTests {
    typealias Echo = ForwardingTests.Echo

    func send(_ request: HTTPClientRequest, environment: [String: String], upstreamPort: Int) async throws -> (HTTPClientResponse, String) {
        try await withProxy(upstreamPort: upstreamPort, environment: environment) { proxy in
            try await withTestClient { client in
                var request = request
                request.url = proxy + request.url
                let response = try await client.execute(request, timeout: .seconds(10))
                return (response, try await response.bodyText())
            }
        }
    }

    func echo(_ path: String, json: String, environment: (Int) -> [String: String], key: String? = "azure-key", headers: [(String, String)] = []) async throws -> Echo {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let (response, text) = try await self.send(openAIRequest(path, json: json, key: key, headers: headers), environment: environment(port), upstreamPort: port)
            #expect(response.status == .ok, "\(text)")
            return try JSONDecoder().decode(Echo.self, from: Data(text.utf8))
        }
    }

    static func resource(_ port: Int) -> [String: String] { ["ARCHESTRA_AZURE_OPENAI_BASE_URL": "http://127.0.0.1:\(port)/openai"] }

    @Test("chat completions go to the body's model as deployment, with the default api-version, the key as api-key")
    func deploymentRouting() async throws {
        let echo = try await self.echo("/v1/azure/chat/completions", json: #"{"model":"gpt-4o","messages":[]}"#, environment: Self.resource)
        #expect(echo.path == "/openai/deployments/gpt-4o/chat/completions")
        #expect(echo.query == "api-version=2024-02-01")
        #expect(echo.headers["api-key"] == ["azure-key"])
        #expect(echo.headers["authorization"] == nil)
    }

    @Test("embeddings go to the deployment; responses to /responses with the Responses api-version")
    func embeddingsAndResponses() async throws {
        let embeddings = try await self.echo("/v1/azure/embeddings", json: #"{"model":"emb","input":"x"}"#, environment: Self.resource)
        #expect(embeddings.path == "/openai/deployments/emb/embeddings")
        let responses = try await self.echo("/v1/azure/responses", json: #"{"model":"gpt-4o","input":"x"}"#, environment: Self.resource)
        #expect(responses.path == "/openai/responses")
        #expect(responses.query == "api-version=2025-04-01-preview")
    }

    @Test("the api-version variables override the defaults")
    func configuredVersions() async throws {
        let environment: (Int) -> [String: String] = { port in
            Self.resource(port).merging([
                "ARCHESTRA_AZURE_OPENAI_API_VERSION": "2024-10-21", "ARCHESTRA_AZURE_OPENAI_RESPONSES_API_VERSION": "2025-03-01-preview",
            ]) { $1 }
        }
        #expect(try await self.echo("/v1/azure/chat/completions", json: #"{"model":"d","messages":[]}"#, environment: environment).query == "api-version=2024-10-21")
        #expect(try await self.echo("/v1/azure/responses", json: #"{"model":"d","input":"x"}"#, environment: environment).query == "api-version=2025-03-01-preview")
    }

    @Test("the AzureOpenAI SDK's own deployment path passes through with its api-version and its api-key header")
    func sdkPath() async throws {
        let echo = try await self.echo(
            "/v1/azure/openai/deployments/dep2/chat/completions?api-version=2024-10-21",
            json: #"{"model":"gpt-4o","messages":[]}"#,
            environment: Self.resource,
            key: nil,
            headers: [("api-key", "sdk-key")]
        )
        #expect(echo.path == "/openai/deployments/dep2/chat/completions")
        #expect(echo.query == "api-version=2024-10-21")
        #expect(echo.headers["api-key"] == ["sdk-key"])
    }

    @Test("a Foundry v1 URL gets paths as-is, without api-version")
    func foundryV1() async throws {
        let environment: (Int) -> [String: String] = { ["ARCHESTRA_AZURE_OPENAI_BASE_URL": "http://127.0.0.1:\($0)/openai/v1"] }
        let chat = try await self.echo("/v1/azure/chat/completions", json: #"{"model":"gpt-4o","messages":[]}"#, environment: environment)
        #expect(chat.path == "/openai/v1/chat/completions")
        #expect(chat.query == nil)
        let sdk = try await self.echo("/v1/azure/openai/v1/responses", json: #"{"model":"gpt-4o","input":"x"}"#, environment: environment)
        #expect(sdk.path == "/openai/v1/responses")
    }

    @Test("without a client key, ARCHESTRA_CHAT_AZURE_OPENAI_API_KEY goes upstream as api-key")
    func fallbackKey() async throws {
        let echo = try await self.echo(
            "/v1/azure/chat/completions",
            json: #"{"model":"gpt-4o","messages":[]}"#,
            environment: { Self.resource($0).merging(["ARCHESTRA_CHAT_AZURE_OPENAI_API_KEY": "fallback"]) { $1 } },
            key: nil
        )
        #expect(echo.headers["api-key"] == ["fallback"])
    }

    @Test("Entra ID with a client secret but no tenant is refused at start, naming AZURE_TENANT_ID")
    func entraIDMisconfiguredRefused() {
        #expect {
            try ProxyConfiguration(environment: [
                "ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED": "true", "AZURE_CLIENT_ID": "app", "AZURE_CLIENT_SECRET": "s",
            ])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "AZURE_TENANT_ID"
        }
    }

    @Test("without a base URL Azure answers 503 naming ARCHESTRA_AZURE_OPENAI_BASE_URL")
    func notConfigured() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let (response, text) = try await self.send(
                openAIRequest("/v1/azure/chat/completions", json: #"{"model":"gpt-4o","messages":[]}"#),
                environment: [:],
                upstreamPort: port
            )
            #expect(response.status == .serviceUnavailable)
            #expect(text.contains("ARCHESTRA_AZURE_OPENAI_BASE_URL"))
        }
    }
}
