import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Testing

/// `/v1/anthropic[/<profile>]/...`: native paths, both ways of sending the key, Anthropic's
/// headers, and proxy-made errors in Anthropic's shape.
@Suite(.timeLimit(.minutes(1)))
struct AnthropicRouteTests {
    static func environment(_ port: Int, fallback: String? = nil) -> [String: String] {
        var environment = ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)"]
        if let fallback { environment["ARCHESTRA_CHAT_ANTHROPIC_API_KEY"] = fallback }
        return environment
    }

    @Test("x-api-key (SDK 0.x/1.x) goes upstream as x-api-key, with anthropic-version, anthropic-beta and the query")
    func apiKeyHeaderForwardedAsSent() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port, fallback: "sk-fallback")) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        nativeRequest(
                            "\(proxy)/v1/anthropic/v1/messages?beta=true",
                            json: #"{"model":"claude","max_tokens":5,"messages":[]}"#,
                            headers: [("x-api-key", "sk-ant-client"), ("anthropic-version", "2023-06-01"), ("anthropic-beta", "a-1,b-2")]
                        ),
                        timeout: .seconds(10)
                    )
                    let echo = try await ForwardingTests.echo(of: response)
                    #expect(echo.path == "/v1/messages")
                    #expect(echo.query == "beta=true")
                    #expect(echo.headers["x-api-key"] == ["sk-ant-client"])
                    #expect(echo.headers["authorization"] == nil)
                    #expect(echo.headers["anthropic-version"] == ["2023-06-01"])
                    #expect(echo.headers["anthropic-beta"] == ["a-1,b-2"])
                }
            }
        }
    }

    @Test("Authorization: Bearer (SDK 2.x) goes upstream as Bearer; without a key the fallback goes as x-api-key")
    func bearerForwardedAsSentAndFallbackAsAPIKey() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port, fallback: "sk-fallback")) { proxy in
                try await withTestClient { client in
                    let profile = "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11"
                    let bearer = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/anthropic/\(profile)/v1/messages", json: #"{"model":"c","max_tokens":1}"#, headers: [("authorization", "Bearer sk-ant-2x")]),
                        timeout: .seconds(10)
                    ))
                    #expect(bearer.path == "/v1/messages")
                    #expect(bearer.headers["authorization"] == ["Bearer sk-ant-2x"])
                    #expect(bearer.headers["x-api-key"] == nil)
                    let fallback = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/anthropic/v1/messages/count_tokens", json: #"{"model":"c","messages":[]}"#),
                        timeout: .seconds(10)
                    ))
                    #expect(fallback.path == "/v1/messages/count_tokens")
                    #expect(fallback.headers["x-api-key"] == ["sk-fallback"])
                    #expect(fallback.headers["authorization"] == nil)
                    let models = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/anthropic/v1/models", json: "", headers: [("x-api-key", "k")], method: .GET),
                        timeout: .seconds(10)
                    ))
                    #expect(models.method == "GET" && models.path == "/v1/models")
                }
            }
        }
    }

    @Test("proxy-made errors are Anthropic error bodies with honest statuses")
    func errorsInAnthropicShape() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port)) { proxy in
                try await withTestClient { client in
                    let noKey = try await client.execute(nativeRequest("\(proxy)/v1/anthropic/v1/messages", json: "{}"), timeout: .seconds(10))
                    #expect(noKey.status == .unauthorized)
                    let noKeyBody = try JSONSerialization.jsonObject(with: Data(try await noKey.bodyText().utf8)) as? [String: Any]
                    #expect(noKeyBody?["type"] as? String == "error")
                    #expect((noKeyBody?["error"] as? [String: Any])?["type"] as? String == "authentication_error")

                    let broken = try await client.execute(
                        nativeRequest("\(proxy)/v1/anthropic/v1/messages", json: "{not json", headers: [("x-api-key", "k")]),
                        timeout: .seconds(10)
                    )
                    #expect(broken.status == .badRequest)
                    #expect(try await broken.bodyText().contains(#""type":"invalid_request_error""#))
                }
            }
        }
        // Nothing listens on the port once the upstream is gone: 502 in Anthropic's shape.
        let closedPort = try await withUpstream({ _ in }) { $0 }
        try await withProxy(upstreamPort: closedPort, environment: Self.environment(closedPort)) { proxy in
            try await withTestClient { client in
                let response = try await client.execute(
                    nativeRequest("\(proxy)/v1/anthropic/v1/messages", json: #"{"model":"c"}"#, headers: [("x-api-key", "k")]),
                    timeout: .seconds(10)
                )
                #expect(response.status == .badGateway)
                #expect(try await response.bodyText().hasPrefix(#"{"error":{"message":"#))
            }
        }
    }

    @Test("an upstream failure mid-stream ends an Anthropic stream with event: error")
    func midStreamFailureIsErrorEvent() async throws {
        let first = "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: content_block_delta\ndata: {\"partial"
        try await withUpstream(failingUpstream(path: "/v1/messages", contentType: "text/event-stream; charset=utf-8", first: first)) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port)) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        nativeRequest("\(proxy)/v1/anthropic/v1/messages", json: #"{"model":"c","stream":true}"#, headers: [("x-api-key", "k")]),
                        timeout: .seconds(10)
                    )
                    #expect(response.status == .ok)
                    let text = try await response.bodyText()
                    #expect(text.hasPrefix("event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: error\ndata: {"))
                    #expect(text.contains(#""type":"api_error""#))
                    #expect(!text.contains("partial"))
                }
            }
        }
    }
}
