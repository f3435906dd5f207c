import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Recorder
import ServiceLifecycle
import Testing
import WireFormats
import TestSupport

@Suite("Record then replay", .timeLimit(.minutes(1)))
struct RecordReplayRoundTripTests {
    static let events = [
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        ": OPENROUTER PROCESSING\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
        "data: [DONE]\n\n",
    ]
    static let secret = "sk-test-SECRET-0123"

    /// A small upstream: an SSE stream written in awkward chunks with pauses, a JSON endpoint
    /// that checks its key, and an OAuth-style token endpoint.
    static func upstream(
        gate: AsyncStream<Void> = AsyncStream { $0.finish() },
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some Service {
        let router = Router()
        router.post("/base/gated") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: Self.events[0]))
                    // Holds the rest of the stream until the client has seen the first event.
                    var iterator = gate.makeAsyncIterator()
                    _ = await iterator.next()
                    try await writer.write(ByteBuffer(string: Self.events[3]))
                    try await writer.finish(nil)
                }
            )
        }
        router.post("/base/v1/chat/completions") { request, _ -> Response in
            guard request.headers[.authorization] == "Bearer \(secret)" else { return Response(status: .unauthorized) }
            let joined = Self.events.joined()
            // Chunk boundaries that cut events in half: the recorder must re-frame them.
            let cuts = [10, 50, joined.utf8.count - 5]
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    var start = joined.utf8.startIndex
                    for cut in cuts + [joined.utf8.count] {
                        let end = joined.utf8.index(joined.utf8.startIndex, offsetBy: cut)
                        try await writer.write(ByteBuffer(string: String(joined[start..<end])))
                        start = end
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    try await writer.finish(nil)
                }
            )
        }
        router.get("/base/v1/models") { request, _ -> Response in
            let key = request.uri.queryParameters["key"].map(String.init)
            guard key == secret else { return Response(status: .forbidden) }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .setCookie: "sid=\(secret); Path=/"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"data\":[],\"object\":\"list\"}"))
            )
        }
        router.post("/base/token") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"access_token\":\"\(secret)\",\"expires_in\":3599}"))
            )
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: quietLogger
        )
    }

    @Test("recording relays and records a stream frame by frame, scrubs secrets, and replays the same bytes")
    func roundTrip() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("recorded.json").path
        let chatBody = #"{"model":"m","stream":true}"#

        var recordedResponses: [[UInt8]] = []
        try await withRunningService({ Self.upstream(onRunning: $0) }) { upstreamPort, _ in
            let upstreamURL = try #require(URL(string: "http://127.0.0.1:\(upstreamPort)/base"))
            try await withRunningService({ onRunning in
                CassetteRecordingProxy(
                    upstream: upstreamURL,
                    cassettePath: path,
                    host: "127.0.0.1",
                    port: 0,
                    logger: quietLogger,
                    onServerRunning: onRunning
                )
            }) { proxyPort, proxy in
                try await withRawHTTPClient { client in
                    let base = "http://127.0.0.1:\(proxyPort)"
                    let stream = try await send(
                        client,
                        "\(base)/v1/chat/completions",
                        headers: [("Authorization", "Bearer \(Self.secret)"), ("Content-Type", "application/json")],
                        body: chatBody
                    )
                    #expect(stream.status == 200)
                    #expect(stream.body.bytes == Array(Self.events.joined().utf8))
                    // Relayed while arriving, not after the upstream finished.
                    #expect(stream.body.chunks.count >= 2)
                    let models = try await send(client, "\(base)/v1/models?key=\(Self.secret)", method: .GET)
                    #expect(models.status == 200)
                    let token = try await send(client, "\(base)/token", body: "client_secret=\(Self.secret)&grant_type=x")
                    #expect(token.status == 200)
                    recordedResponses = [stream.body.bytes, models.body.bytes, token.body.bytes]
                }
                // Each exchange is on disk as soon as it completed, before shutdown.
                #expect(try Cassette.load(from: path).interactions.count == 3)
                #expect(await proxy.cassette().interactions.count == 3)
            }
        }

        let fileText = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!fileText.contains(Self.secret))
        let cassette = try Cassette.load(from: path)
        #expect(cassette.provenance.kind == .recorded)
        #expect(cassette.provenance.tool == RecorderVersion.tool)
        let streamed = try #require(cassette.interactions.first)
        #expect(streamed.request.path == "/base/v1/chat/completions")
        #expect(streamed.request.headers.first(named: "authorization") == "Bearer <redacted>")
        let frames = try #require(streamed.response.stream)
        #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.events)
        // Offsets are kept in arrival order. No lower bound on their size: they count from when the
        // recorder saw the head, which a loaded machine can delay past the upstream's pauses.
        #expect(frames.map(\.offsetMs) == frames.map(\.offsetMs).sorted())
        #expect(frames.allSatisfy { $0.offsetMs >= 0 })
        #expect(cassette.interactions[1].request.path == "/base/v1/models?key=%3Credacted%3E")
        #expect(cassette.interactions[1].response.headers.first(named: "set-cookie") == "sid=<redacted>; Path=/")
        #expect(cassette.interactions[2].response.body?.data == #"{"access_token":"<redacted>","expires_in":3599}"#)

        // Replay answers the same requests (with a different live key) with the recorded bytes.
        try await withRunningService({ onRunning in
            CassetteReplayServer(
                cassettes: [cassette],
                host: "127.0.0.1",
                port: 0,
                timing: .instant,
                matcher: CassetteMatcher(),
                logger: quietLogger,
                onServerRunning: onRunning
            )
        }) { port, server in
            try await withRawHTTPClient { client in
                let base = "http://127.0.0.1:\(port)"
                let stream = try await send(client, "\(base)/base/v1/chat/completions", body: chatBody)
                #expect(stream.body.bytes == recordedResponses[0])
                let models = try await send(client, "\(base)/base/v1/models?key=other-key", method: .GET)
                #expect(models.body.bytes == recordedResponses[1])
                #expect(await server.unplayedReport().map(\.path) == ["/base/token"])
            }
        }
    }

    @Test("the recorder relays the first event before the upstream has finished the stream")
    func relaysBeforeUpstreamFinishes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gated.json").path
        let (gate, opener) = AsyncStream<Void>.makeStream()
        try await withRunningService({ Self.upstream(gate: gate, onRunning: $0) }) { upstreamPort, _ in
            let upstreamURL = try #require(URL(string: "http://127.0.0.1:\(upstreamPort)/base"))
            try await withRunningService({ onRunning in
                CassetteRecordingProxy(
                    upstream: upstreamURL,
                    cassettePath: path,
                    host: "127.0.0.1",
                    port: 0,
                    logger: quietLogger,
                    onServerRunning: onRunning
                )
            }) { proxyPort, _ in
                try await withRawHTTPClient { client in
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(proxyPort)/gated")
                    request.method = .POST
                    let response = try await client.execute(request, timeout: .seconds(30))
                    var received: [UInt8] = []
                    for try await chunk in response.body {
                        received += chunk.readableBytesView
                        // A recorder that buffered the stream would never get here: the upstream waits for us.
                        if received == Array(Self.events[0].utf8) { opener.finish() }
                    }
                    #expect(received == Array((Self.events[0] + Self.events[3]).utf8))
                }
            }
        }
        let frames = try #require(try Cassette.load(from: path).interactions.first?.response.stream)
        #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == [Self.events[0], Self.events[3]])
    }

    @Test("an unreachable upstream answers 502 in the OpenAI error shape and records nothing")
    func unreachableUpstream() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("none.json").path
        // Port 1 (tcpmux) is privileged and unused here: the connection is refused at once.
        let upstreamURL = try #require(URL(string: "http://127.0.0.1:1"))
        try await withRunningService({ onRunning in
            CassetteRecordingProxy(
                upstream: upstreamURL,
                cassettePath: path,
                host: "127.0.0.1",
                port: 0,
                connectTimeout: .milliseconds(300),
                logger: quietLogger,
                onServerRunning: onRunning
            )
        }) { proxyPort, _ in
            try await withRawHTTPClient { client in
                let response = try await send(client, "http://127.0.0.1:\(proxyPort)/v1/models", method: .GET)
                #expect(response.status == 502)
                let json = try JSONValue(parsing: Data(response.body.bytes))
                #expect(json["error"]?["type"] == "upstream_error")
            }
        }
        #expect(try Cassette.load(from: path).interactions.isEmpty)
    }
}
