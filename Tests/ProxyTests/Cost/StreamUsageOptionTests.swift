import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Proxy
import Synchronization
import Testing
import WireFormats

/// OpenAI-compatible chat streams always report usage upstream; the chunk the proxy asked for is
/// not shown to a client that did not ask for it.
@Suite(.timeLimit(.minutes(1)))
struct StreamUsageOptionTests {
    static let finish = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
    static let usageChunk = "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}\n\n"
    static let text = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
    static let done = "data: [DONE]\n\n"

    /// Answers with the usage chunk only when the request asked for it, as OpenAI does; keeps the
    /// bodies it received.
    final class Upstream: Sendable {
        let bodies = Mutex<[JSONValue]>([])

        func configure(_ router: Router<BasicRequestContext>) {
            router.post("/v1/chat/completions") { request, _ in
                let body = try await request.body.collect(upTo: 1 << 20)
                let json = try JSONValue(parsing: Data(buffer: body))
                self.bodies.withLock { $0.append(json) }
                let withUsage = json["stream_options"]?["include_usage"]?.boolValue == true
                // The usage chunk and [DONE] arrive in one write, as they often do.
                let chunks = [StreamUsageOptionTests.text, StreamUsageOptionTests.finish, (withUsage ? StreamUsageOptionTests.usageChunk : "") + StreamUsageOptionTests.done]
                return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                    for chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
                    try await writer.finish(nil)
                })
            }
        }
    }

    func stream(_ json: String, provider: String = "openai") async throws -> (received: String, upstream: JSONValue, usage: (String?, String?)) {
        let upstream = Upstream()
        let (logger, logs) = capturingLogger()
        let received = try await withUpstream(upstream.configure) { port in
            try await withProxy(upstreamPort: port, environment: ["ARCHESTRA_MISTRAL_BASE_URL": "http://127.0.0.1:\(port)/v1"], logger: logger) { proxy in
                try await withTestClient { client in
                    let path = provider == "openai" ? "/v1/openai/chat/completions" : "/v1/mistral/chat/completions"
                    let response = try await client.execute(nativeRequest(proxy + path, json: json, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                    return try await response.bodyText()
                }
            }
        }
        let line = try #require(requestLogLines(logs).first)
        let sent = try #require(upstream.bodies.withLock { $0.first })
        return (received, sent, (line.metadata["usage.input_tokens"]?.description, line.metadata["usage.output_tokens"]?.description))
    }

    @Test("a stream without include_usage: asked upstream, counted, and the usage chunk dropped from what the client sees")
    func added() async throws {
        let (received, upstream, usage) = try await self.stream(#"{"model":"gpt-4o","stream":true,"messages":[],"stream_options":{"foo":1}}"#)
        #expect(upstream["stream_options"] == ["include_usage": true, "foo": 1])
        #expect(upstream["model"] == "gpt-4o" && upstream["stream"] == true)
        #expect(received == Self.text + Self.finish + Self.done)
        #expect(usage.0 == "7" && usage.1 == "3")
    }

    @Test("a stream that asked for usage is untouched: the same body upstream, the usage chunk relayed")
    func asked() async throws {
        let json = #"{"model":"gpt-4o","stream":true,"messages":[],"stream_options":{"include_usage":true}}"#
        let (received, upstream, usage) = try await self.stream(json)
        #expect(upstream == (try JSONValue(parsing: Data(json.utf8))))
        #expect(received == Self.text + Self.finish + Self.usageChunk + Self.done)
        #expect(usage.0 == "7")
    }

    @Test("include_usage: false is overridden (it would evade limits) and the chunk dropped; a provider without stream_options support is left alone")
    func leftAlone() async throws {
        let refused = try await self.stream(#"{"model":"gpt-4o","stream":true,"messages":[],"stream_options":{"include_usage":false}}"#)
        #expect(refused.upstream["stream_options"] == ["include_usage": true])
        #expect(refused.received == Self.text + Self.finish + Self.done)
        #expect(refused.usage.0 == "7")
        let mistral = try await self.stream(#"{"model":"mistral-small-latest","stream":true,"messages":[]}"#, provider: "mistral")
        #expect(mistral.upstream["stream_options"] == nil)
        #expect(mistral.received == Self.text + Self.finish + Self.done)
    }
}
