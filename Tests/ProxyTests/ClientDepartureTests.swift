import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Proxy
import Synchronization
import TestSupport
import Testing

/// A client that leaves is noticed at once, whatever the request is waiting for (issue 10,
/// item 4): before the fix, a request waiting for its upstream's head kept its upstream
/// connection and its concurrency slot until the upstream answered.
@Suite(.timeLimit(.minutes(1)))
struct ClientDepartureTests {
    /// What the stand-in upstream saw.
    final class UpstreamLog: Sendable {
        let arrived = Atomic<Int>(0)
        let cancelled = Atomic<Int>(0)
    }

    /// An upstream that never answers `POST /v1/chat/completions` (for 30 s, well past the test's
    /// deadlines) and counts the requests whose connection its caller closed; `GET /v1/models`
    /// answers at once.
    static func silentUpstream(_ log: UpstreamLog) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.post("/v1/chat/completions") { request, _ -> Response in
                log.arrived.add(1, ordering: .relaxed)
                do {
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await Task.sleep(for: .seconds(30))
                    }
                } catch {
                    log.cancelled.add(1, ordering: .relaxed)
                }
                return Response(status: .ok)
            }
            router.get("/v1/models") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
            }
        }
    }

    static func chatRequest(stream: Bool = false) -> String {
        let body = #"{"model":"gpt-4o","messages":[],"stream":\#(stream)}"#
        return "POST /v1/openai/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    /// An open raw connection that has sent `bytes`.
    static func connect(port: Int, sending bytes: String) async throws -> any Channel {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: bytes)).get()
        return channel
    }

    @Test("20 requests abandoned before the upstream's head free their 20 slots at once, and the upstream sees each cancelled")
    func abandonedRequestsFreeTheirSlots() async throws {
        let log = UpstreamLog()
        try await withUpstream(Self.silentUpstream(log)) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_MAX_CONCURRENT_REQUESTS": "20"]) { proxy in
                let port = try #require(URL(string: proxy)?.port)
                var clients: [any Channel] = []
                for _ in 0..<20 { clients.append(try await Self.connect(port: port, sending: Self.chatRequest())) }
                #expect(try await poll { log.arrived.load(ordering: .relaxed) == 20 })

                // Every slot is taken: the proxy refuses the next request.
                let refused = try await rawHTTPExchange(port: port, request: "GET /v1/openai/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nConnection: close\r\n\r\n")
                #expect(rawStatus(refused) == 503)

                let left = ContinuousClock.now
                for client in clients { try await client.close() }
                let freed = try await poll {
                    let answer = try await rawHTTPExchange(port: port, request: "GET /v1/openai/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nConnection: close\r\n\r\n")
                    return rawStatus(answer) == 200 && log.cancelled.load(ordering: .relaxed) == 20
                }
                let elapsed = ContinuousClock.now - left
                #expect(freed)
                // "At once" against the alternative, waiting out the upstream (600 s by default): a
                // bound far below that, with room for a loaded 2-core CI machine.
                #expect(elapsed < .seconds(5), "slots and upstream requests freed after \(elapsed)")
            }
        }
    }

    @Test("a client that half-closes (FIN) while its request waits is a client that left: the upstream request is cancelled")
    func halfCloseCancels() async throws {
        let log = UpstreamLog()
        try await withUpstream(Self.silentUpstream(log)) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                let port = try #require(URL(string: proxy)?.port)
                let client = try await Self.connect(port: port, sending: Self.chatRequest())
                #expect(try await poll { log.arrived.load(ordering: .relaxed) == 1 })
                try await client.close(mode: .output)
                #expect(try await poll { log.cancelled.load(ordering: .relaxed) == 1 })
                try? await client.close()
            }
        }
    }

    @Test("watching for departure costs no keep-alive: streamed and plain answers leave the connection open, and a request pipelined behind a stream is answered")
    func keepAliveAndPipelining() async throws {
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "data: {\"choices\":[]}\n\ndata: [DONE]\n\n"))
                )
            }
            router.get("/v1/models") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                let port = try #require(URL(string: proxy)?.port)
                // A stream, a plain request pipelined right behind it, then a last one that
                // closes: three answers on one connection.
                let stream = Self.chatRequest(stream: true)
                let received = try await rawHTTPExchange(
                    port: port,
                    request: stream
                        + "GET /v1/openai/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n"
                        + "GET /v1/openai/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nConnection: close\r\n\r\n"
                )
                #expect(received.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == 3, "\(received)")
                #expect(received.contains("data: [DONE]"))
                #expect(!received.lowercased().contains("connection: close\r\n\r\ndata"), "the stream's head asked to close the connection")
            }
        }
    }
}
