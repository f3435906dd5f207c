import AsyncHTTPClient
import Foundation
import Hummingbird
import HTTPTypes
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// What crosses the proxy: paths, queries, headers and credentials.
@Suite(.timeLimit(.minutes(1)))
struct ForwardingTests {
    /// What the stand-in upstream saw.
    struct Echo: Decodable {
        let method: String
        let path: String
        let query: String?
        let headers: [String: [String]]
        let body: String
    }

    /// An upstream that answers every request with a description of it.
    static func echoUpstream(_ router: Router<BasicRequestContext>) {
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: [String]] = [:]
            for field in request.headers { headers[field.name.canonicalName, default: []].append(field.value) }
            let echo: [String: Any] = [
                "method": request.method.rawValue, "path": request.uri.path, "query": request.uri.query as Any,
                "headers": headers, "body": String(buffer: body),
            ]
            let data = try JSONSerialization.data(withJSONObject: echo)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        for method in [HTTPRequest.Method.get, .post, .delete] {
            router.on("/**", method: method, use: handler)
        }
    }

    static func echo(of response: HTTPClientResponse) async throws -> Echo {
        #expect(response.status == .ok)
        return try JSONDecoder().decode(Echo.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test("the client's Authorization and SDK headers are forwarded; hop-by-hop headers and the gateway's x-archestra- directives are not")
    func headersForwarded() async throws {
        try await withUpstream(Self.echoUpstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let request = openAIRequest(
                        "\(proxy)/v1/openai/chat/completions",
                        json: #"{"model":"m","messages":[]}"#,
                        key: "sk-client",
                        headers: [
                            ("OpenAI-Organization", "org-1"), ("x-stainless-retry-count", "0"), ("connection", "keep-alive, x-per-hop"),
                            ("x-per-hop", "drop me"), ("te", "trailers"), ("keep-alive", "timeout=5"),
                            ("X-Archestra-Context-Untrusted", "true"), ("x-archestra-agent-id", "a-1"),
                        ]
                    )
                    let echo = try await Self.echo(of: try await client.execute(request, timeout: .seconds(10)))
                    #expect(echo.path == "/v1/chat/completions")
                    #expect(echo.headers["authorization"] == ["Bearer sk-client"])
                    #expect(echo.headers["openai-organization"] == ["org-1"])
                    #expect(echo.headers["x-stainless-retry-count"] == ["0"])
                    #expect(echo.headers["x-per-hop"] == nil)
                    #expect(echo.headers["te"] == nil)
                    #expect(echo.headers["keep-alive"] == nil)
                    #expect(echo.headers["x-archestra-context-untrusted"] == nil && echo.headers["x-archestra-agent-id"] == nil)
                    #expect(echo.body == #"{"model":"m","messages":[]}"#)
                }
            }
        }
    }

    @Test("the fallback key is used only when the client sends none")
    func fallbackKey() async throws {
        try await withUpstream(Self.echoUpstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-fallback"]) { proxy in
                try await withTestClient { client in
                    let url = "\(proxy)/v1/openai/chat/completions"
                    let withoutKey = try await Self.echo(of: try await client.execute(openAIRequest(url, json: "{}", key: nil), timeout: .seconds(10)))
                    #expect(withoutKey.headers["authorization"] == ["Bearer sk-fallback"])
                    let withKey = try await Self.echo(of: try await client.execute(openAIRequest(url, json: "{}", key: "sk-own"), timeout: .seconds(10)))
                    #expect(withKey.headers["authorization"] == ["Bearer sk-own"])
                }
            }
        }
    }

    @Test("profile ids are consumed by the proxy; other sub-paths and queries pass through untouched")
    func pathsAndQueries() async throws {
        try await withUpstream(Self.echoUpstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let profiled = openAIRequest("\(proxy)/v1/openai/6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11/chat/completions", json: "{}")
                    #expect(try await Self.echo(of: try await client.execute(profiled, timeout: .seconds(10))).path == "/v1/chat/completions")

                    var files = HTTPClientRequest(url: "\(proxy)/v1/openai/files/file-abc%2Fx/content?purpose=batch&limit=2")
                    files.headers.add(name: "authorization", value: "Bearer sk-a")
                    let echo = try await Self.echo(of: try await client.execute(files, timeout: .seconds(10)))
                    #expect(echo.method == "GET")
                    #expect(echo.path == "/v1/files/file-abc%2Fx/content")
                    #expect(echo.query == "purpose=batch&limit=2")

                    // A client configured with `<proxy>/v1/openai/v1` sends a redundant `/v1`.
                    var models = HTTPClientRequest(url: "\(proxy)/v1/openai/v1/models")
                    models.headers.add(name: "authorization", value: "Bearer sk-a")
                    #expect(try await Self.echo(of: try await client.execute(models, timeout: .seconds(10))).path == "/v1/models")
                }
            }
        }
    }

    @Test("one log line per request with route, status and latency, and no secret in any line")
    func requestLogHasNoSecrets() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "test.proxy", factory: { _ in logs })
        try await withUpstream(Self.echoUpstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-fallback-secret"], logger: logger) { proxy in
                try await withTestClient { client in
                    let url = "\(proxy)/v1/openai/6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11/chat/completions"
                    _ = try await client.execute(openAIRequest(url, json: #"{"model":"gpt-4o"}"#, key: "sk-client-secret"), timeout: .seconds(10))
                    _ = try await client.execute(openAIRequest(url, json: #"{"model":"gpt-4o"}"#, key: nil), timeout: .seconds(10))
                }
            }
        }
        let requestLines = logs.entries.filter { $0.message == "proxied request" }
        #expect(requestLines.count == 2)
        let first = try #require(requestLines.first)
        #expect(first.metadata["archestra.provider"] == "openai")
        #expect(first.metadata["archestra.profile_id"] == "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11")
        #expect(first.metadata["archestra.model"] == "gpt-4o")
        #expect(first.metadata["http.status"]?.description == "200")
        #expect(first.metadata["upstream.duration_ms"] != nil)
        #expect(requestLines.last?.metadata["archestra.credential"] == "fallback")
        for entry in logs.entries {
            let line = "\(entry.message) \(entry.metadata)"
            #expect(!line.contains("secret"), "a log line leaked a key: \(entry.message)")
        }
    }
}
