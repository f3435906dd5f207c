import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Proxy
import Synchronization
import Testing

/// Malformed and ambiguous request framing (issue 10, items 5 and smuggling), raw bytes on
/// loopback: a broken body is the client's error (400, never 500), and a head two parsers could
/// read differently is refused before anything of it reaches the upstream.
@Suite(.timeLimit(.minutes(1)))
struct RequestFramingTests {
    final class Arrivals: Sendable {
        let count = Atomic<Int>(0)
        let bodies = Mutex<[String]>([])
    }

    /// An upstream that records every request that reaches it and answers a chat completion.
    static func recordingUpstream(_ arrivals: Arrivals) -> (Router<BasicRequestContext>) -> Void {
        { router in
            let answer: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                arrivals.count.add(1, ordering: .relaxed)
                let body = try await request.body.collect(upTo: 1 << 20)
                arrivals.bodies.withLock { $0.append(String(buffer: body)) }
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"id":"x","choices":[]}"#)))
            }
            router.post("/v1/chat/completions", use: answer)
            // A pass-through path (an upload: not JSON, forwarded as read).
            router.post("/v1/files", use: answer)
        }
    }

    static let json = #"{"model":"gpt-4o","messages":[]}"#  // 32 bytes = 0x20

    static func head(_ extra: String, path: String = "/v1/openai/chat/completions") -> String {
        "POST \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test\r\nContent-Type: application/json\r\n\(extra)"
    }

    /// Sends `request`, half-closes when `endInput` (a client that stops sending), and returns
    /// the proxy's answer and how many requests reached the upstream.
    static func exchange(_ request: String, endInput: Bool = false) async throws -> (answer: String, forwarded: Int, bodies: [String]) {
        let arrivals = Arrivals()
        let answer = try await withUpstream(Self.recordingUpstream(arrivals)) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                let port = try #require(URL(string: proxy)?.port)
                if endInput {
                    return try await rawHTTPExchangeEndingInput(port: port, request: Array(request.utf8))
                }
                return try await rawHTTPExchange(port: port, request: request)
            }
        }
        return (answer, arrivals.count.load(ordering: .relaxed), arrivals.bodies.withLock { $0 })
    }

    /// Chunked bodies the decoder rejects: each is 400 (the route's shape or the decoder's bare
    /// 400), never 500 — before, several of these answered 500.
    static let malformedChunkedBodies: [(String, String)] = [
        ("bad chunk size", "Transfer-Encoding: chunked\r\n\r\nzz\r\n\(json)\r\n0\r\n\r\n"),
        ("negative chunk size", "Transfer-Encoding: chunked\r\n\r\n-20\r\n\(json)\r\n0\r\n\r\n"),
        ("chunk size overflowing 64 bits", "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n\(json)\r\n0\r\n\r\n"),
        ("missing CRLF after the chunk data", "Transfer-Encoding: chunked\r\n\r\n20\r\n\(json)0\r\n\r\n"),
        ("chunk longer than its size", "Transfer-Encoding: chunked\r\n\r\n10\r\n\(json)\r\n0\r\n\r\n"),
        ("Transfer-Encoding: xchunked", "Transfer-Encoding: xchunked\r\n\r\n20\r\n\(json)\r\n0\r\n\r\n"),
        ("Transfer-Encoding: chunked, identity", "Transfer-Encoding: chunked, identity\r\n\r\n20\r\n\(json)\r\n0\r\n\r\n"),
    ]

    @Test("a malformed chunked body is 400, never 500, and never forwarded", arguments: Self.malformedChunkedBodies)
    func malformedChunked(_ name: String, _ tail: String) async throws {
        let (answer, forwarded, _) = try await Self.exchange(Self.head(tail))
        #expect(rawStatus(answer) == 400, "\(name): \(answer.prefix(200))")
        #expect(forwarded == 0, "\(name) reached the upstream")
    }

    @Test("a body cut short by the client's end of input is never answered 500 nor forwarded", arguments: [
        "Content-Length: 32\r\n\r\n{\"model\":",
        "Transfer-Encoding: chunked\r\n\r\n20\r\n{\"model\":",
        "Transfer-Encoding: chunked\r\n\r\n20\r\n\(json)\r\n",
    ])
    func shortBodyThenEOF(_ tail: String) async throws {
        let (answer, forwarded, _) = try await Self.exchange(Self.head(tail), endInput: true)
        let status = rawStatus(answer)
        // The client stopped sending: it gets 400, or nothing at all (the proxy treats its end of
        // input as departure); never a 5xx.
        #expect(status == nil || status == 400, "\(answer.prefix(200))")
        #expect(forwarded == 0)
    }

    @Test("a pass-through body that breaks mid-stream is the client's 400, not a 5xx")
    func streamedBodyBreaks() async throws {
        let (answer, _, bodies) = try await Self.exchange(
            Self.head("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n", path: "/v1/openai/files")
        )
        let status = try #require(rawStatus(answer), "\(answer)")
        #expect(status == 400 || status == 502, "\(answer.prefix(200))")
        #expect(status != 500)
        #expect(!bodies.contains { $0.contains("world") })
    }

    /// Heads that two HTTP parsers could frame differently (request smuggling). NIO's decoder
    /// (llhttp, strict) refuses each with 400 and closes; the proxy never sees them, and so
    /// never forwards them.
    static let ambiguousHeads: [(String, String)] = [
        ("Content-Length and Transfer-Encoding", "Content-Length: 32\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n\(json)\r\n0\r\n\r\n"),
        ("Transfer-Encoding and Content-Length", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n20\r\n\(json)\r\n0\r\n\r\n"),
        ("two differing Content-Lengths", "Content-Length: 32\r\nContent-Length: 5\r\n\r\n\(json)"),
        ("two equal Content-Lengths", "Content-Length: 32\r\nContent-Length: 32\r\n\r\n\(json)"),
        ("a Content-Length list", "Content-Length: 32, 32\r\n\r\n\(json)"),
        ("a signed Content-Length", "Content-Length: +32\r\n\r\n\(json)"),
        ("obsolete line folding", "X-Folded: a\r\n b\r\nContent-Length: 32\r\n\r\n\(json)"),
        ("folded Transfer-Encoding", "Transfer-Encoding:\r\n chunked\r\nContent-Length: 32\r\n\r\n\(json)"),
        ("bare LF line ends", "Content-Length: 32\n\n\(json)"),
        ("a bare LF inside the head", "X-A: 1\nContent-Length: 32\r\n\r\n\(json)"),
        ("space before the colon", "Content-Length : 32\r\n\r\n\(json)"),
        ("Transfer-Encoding with a space before the colon", "Transfer-Encoding : chunked\r\nContent-Length: 32\r\n\r\n\(json)"),
        ("a NUL in a header value", "X-A: a\u{0}b\r\nContent-Length: 32\r\n\r\n\(json)"),
    ]

    @Test("an ambiguous head is refused and never forwarded", arguments: Self.ambiguousHeads)
    func smuggling(_ name: String, _ tail: String) async throws {
        let (answer, forwarded, _) = try await Self.exchange(Self.head(tail))
        #expect(rawStatus(answer) == 400, "\(name): \(answer.prefix(200))")
        #expect(forwarded == 0, "\(name) reached the upstream")
    }

    @Test("a well-framed request on the same route is forwarded whole (the tests above can fail)")
    func control() async throws {
        let chunked = try await Self.exchange(Self.head("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n20\r\n\(Self.json)\r\n0\r\n\r\n"))
        #expect(rawStatus(chunked.answer) == 200)
        #expect(chunked.forwarded == 1)
        let sized = try await Self.exchange(Self.head("Content-Length: 32\r\nConnection: close\r\n\r\n\(Self.json)"))
        #expect(rawStatus(sized.answer) == 200)
        #expect(sized.bodies.first?.contains("gpt-4o") == true)
    }
}

/// ``rawHTTPExchange`` for a client that stops sending: writes `request`, half-closes its side,
/// and returns what the server sent until it closed.
func rawHTTPExchangeEndingInput(port: Int, request: [UInt8]) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.allowRemoteHalfClosure, value: true)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(isOutboundHalfClosureEnabled: true)
                )
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(bytes: request))
        outbound.finish()
        var received = ByteBuffer()
        do {
            for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
        } catch {}
        return String(buffer: received)
    }
}
