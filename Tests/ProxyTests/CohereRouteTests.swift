import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Testing

/// `/v1/cohere[/<profile>]/...`: the reference's `/chat` is v2 chat upstream; the SDK's own paths
/// pass through; errors are `{"message":...}`.
@Suite(.timeLimit(.minutes(1)))
struct CohereRouteTests {
    static func environment(_ port: Int, fallback: String? = nil) -> [String: String] {
        var environment = ["ARCHESTRA_COHERE_BASE_URL": "http://127.0.0.1:\(port)"]
        if let fallback { environment["ARCHESTRA_CHAT_COHERE_API_KEY"] = fallback }
        return environment
    }

    @Test("/chat goes to /v2/chat; /v2/chat, /v2/embed and /v1/chat pass through; Bearer as sent, fallback as Bearer", arguments: [
        ("/chat", "/v2/chat"), ("/v2/chat", "/v2/chat"), ("/v2/embed", "/v2/embed"), ("/v1/chat", "/v1/chat"),
    ])
    func pathsAndKeys(clientPath: String, upstreamPath: String) async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port, fallback: "co-fallback")) { proxy in
                try await withTestClient { client in
                    let profile = "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11"
                    let own = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/cohere/\(profile)\(clientPath)", json: #"{"model":"command-a","stream":false}"#, headers: [("authorization", "Bearer co-client")]),
                        timeout: .seconds(10)
                    ))
                    #expect(own.path == upstreamPath)
                    #expect(own.headers["authorization"] == ["Bearer co-client"])
                    let fallback = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/cohere\(clientPath)", json: #"{"model":"command-a"}"#),
                        timeout: .seconds(10)
                    ))
                    #expect(fallback.headers["authorization"] == ["Bearer co-fallback"])
                }
            }
        }
    }

    @Test("proxy-made errors are Cohere's {\"message\"} bodies; a mid-stream failure ends with message-end carrying the error")
    func errorsInCohereShape() async throws {
        let first = "event: message-start\ndata: {\"type\":\"message-start\"}\n\nevent: content-delta\ndata: {\"cut"
        try await withUpstream(failingUpstream(path: "/v2/chat", contentType: "text/event-stream", first: first)) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port)) { proxy in
                try await withTestClient { client in
                    let noKey = try await client.execute(nativeRequest("\(proxy)/v1/cohere/chat", json: "{}"), timeout: .seconds(10))
                    #expect(noKey.status == .unauthorized)
                    let body = try JSONSerialization.jsonObject(with: Data(try await noKey.bodyText().utf8)) as? [String: Any]
                    #expect(body?["message"] is String)
                    #expect(body?.count == 1)

                    let stream = try await client.execute(
                        nativeRequest("\(proxy)/v1/cohere/v2/chat", json: #"{"model":"m","stream":true}"#, headers: [("authorization", "Bearer k")]),
                        timeout: .seconds(10)
                    )
                    let text = try await stream.bodyText()
                    #expect(text.hasPrefix("event: message-start\ndata: {\"type\":\"message-start\"}\n\nevent: message-end\ndata: {"))
                    #expect(text.contains(#""finish_reason":"ERROR""#))
                    #expect(!text.contains("cut"))
                }
            }
        }
    }
}
