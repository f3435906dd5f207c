import AsyncHTTPClient
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

/// How the proxy relays streams: as they arrive, whole events at a time, cancelling upstream
/// when the client leaves, and ending with an in-band error when the upstream fails.
@Suite(.timeLimit(.minutes(1)))
struct StreamingRelayTests {
    @Test("the client reads the first frame before the upstream has sent the last")
    func framesArriveBeforeStreamEnds() async throws {
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: {\"n\":1}\n\n"))
                    var gate = release.makeAsyncIterator()
                    await gate.next()  // the last frame waits until the client has seen the first
                    try await writer.write(ByteBuffer(string: "data: {\"n\":2}\n\ndata: [DONE]\n\n"))
                    try await writer.finish(nil)
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m","stream":true}"#),
                        timeout: .seconds(10)
                    )
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: "content-type") == "text/event-stream")
                    var body = response.body.makeAsyncIterator()
                    let first = try #require(try await body.next())
                    #expect(String(buffer: first) == "data: {\"n\":1}\n\n")
                    releaseContinuation.yield()
                    var rest = ""
                    while let chunk = try await body.next() { rest += String(buffer: chunk) }
                    #expect(rest == "data: {\"n\":2}\n\ndata: [DONE]\n\n")
                }
            }
        }
    }

    @Test("stream bytes pass through unchanged however the upstream chunks them", arguments: [1, 3, 7, 16, 64, 4096])
    func bytesAreNotReserialised(chunkSize: Int) async throws {
        let upstreamBytes = ": keep-alive\r\n\r\ndata:{\"x\":1}\r\n\r\nevent: custom\ndata: a\ndata: b\n\n"
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8"], body: ResponseBody { writer in
                    let bytes = Array(upstreamBytes.utf8)
                    for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                        try await writer.write(ByteBuffer(bytes: bytes[start..<min(start + chunkSize, bytes.count)]))
                    }
                    try await writer.finish(nil)
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m","stream":true}"#),
                        timeout: .seconds(10)
                    )
                    #expect(try await response.bodyText() == upstreamBytes)
                }
            }
        }
    }

    @Test("an upstream failure mid-stream ends the stream with an OpenAI error event, never half an event")
    func midStreamFailureBecomesErrorEvent() async throws {
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: {\"n\":1}\n\ndata: {\"partial\""))
                    struct UpstreamCrashed: Error {}
                    throw UpstreamCrashed()  // the connection drops without the chunked terminator
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m","stream":true}"#),
                        timeout: .seconds(10)
                    )
                    #expect(response.status == .ok)
                    let text = try await response.bodyText()
                    #expect(text.hasPrefix("data: {\"n\":1}\n\ndata: {\"error\":"))
                    #expect(text.contains("\"code\":\"upstream_stream_failed\""))
                    #expect(!text.contains("partial"))
                    #expect(text.hasSuffix("\n\n"))
                }
            }
        }
    }

    @Test("a client that disconnects mid-stream cancels the upstream request")
    func clientDisconnectCancelsUpstream() async throws {
        let (upstreamClosed, upstreamClosedContinuation) = AsyncStream.makeStream(of: Void.self)
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                    do {
                        for index in 0..<2_000 {
                            try await writer.write(ByteBuffer(string: "data: {\"n\":\(index)}\n\n"))
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        try await writer.finish(nil)
                    } catch {
                        upstreamClosedContinuation.yield()  // the proxy hung up on us
                        throw error
                    }
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let reader = Task {
                        let response = try await client.execute(
                            openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m","stream":true}"#),
                            timeout: .seconds(30)
                        )
                        var body = response.body.makeAsyncIterator()
                        _ = try await body.next()
                    }
                    _ = try await reader.value
                    // The response (and its connection) is gone once the task has finished.
                }
                var closed = upstreamClosed.makeAsyncIterator()
                await closed.next()
            }
        }
    }
}
