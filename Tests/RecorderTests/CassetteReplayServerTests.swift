import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Recorder
import Testing
import WireFormats
import TestSupport

@Suite("CassetteReplayServer", .timeLimit(.minutes(1)))
struct CassetteReplayServerTests {
    static let events = [
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n",
        ": keep-alive\n\n",
        "data: {\"type\":\"delta\",\"text\":\"h\u{e9}llo\"}\r\n\r\n",
        "data: [DONE]\n\n",
    ]
    static let offsets = [0, 150, 300, 450]
    static let gzipBytes: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xff, 0xff]

    static var cassette: Cassette { Self.cassette(offsets: Self.offsets) }

    static func cassette(offsets: [Int]) -> Cassette {
        Cassette(
            provenance: CassetteProvenance(kind: .recorded),
            interactions: [
                CassetteInteraction(
                    request: CassetteRequest(
                        method: "POST",
                        path: "/v1/chat/completions",
                        body: CassetteBody(bytes: Array(#"{"model":"m","stream":true}"#.utf8))
                    ),
                    response: CassetteResponse(
                        status: 200,
                        headers: [
                            CassetteHeader("Content-Type", "text/event-stream"),
                            CassetteHeader("Transfer-Encoding", "chunked"),
                            CassetteHeader("Connection", "keep-alive"),
                            CassetteHeader("x-request-id", "req_1"),
                        ],
                        stream: zip(offsets, events).map { CassetteFrame(offsetMs: $0, bytes: Array($1.utf8)) }
                    )
                ),
                CassetteInteraction(
                    request: CassetteRequest(method: "GET", path: "/v1/blob"),
                    response: CassetteResponse(
                        status: 503,
                        headers: [
                            CassetteHeader("Content-Encoding", "gzip"),
                            CassetteHeader("Content-Length", "999"),
                        ],
                        body: CassetteBody(bytes: gzipBytes, preferBinary: true)
                    )
                ),
                CassetteInteraction(
                    request: CassetteRequest(method: "GET", path: "/v1/unplayed"),
                    response: CassetteResponse(status: 204)
                ),
            ]
        )
    }

    func withReplay<Result: Sendable>(
        timing: ReplayTiming,
        offsets: [Int] = Self.offsets,
        _ body: (String, CassetteReplayServer, HTTPClient) async throws -> Result
    ) async throws -> Result {
        try await withRunningService({ onRunning in
            CassetteReplayServer(
                cassettes: [Self.cassette(offsets: offsets)],
                host: "127.0.0.1",
                port: 0,
                timing: timing,
                matcher: CassetteMatcher(ignoredFields: ["stream_options"]),
                logger: quietLogger,
                onServerRunning: onRunning
            )
        }) { port, server in
            try await withRawHTTPClient { client in try await body("http://127.0.0.1:\(port)", server, client) }
        }
    }

    /// Splits what the client received into SSE events, as a client's decoder would.
    func events(in bytes: [UInt8]) throws -> [String] {
        var buffer = ByteBuffer(bytes: bytes)
        var framer = SSEEventFramer()
        var events: [String] = []
        while let event = try framer.decode(buffer: &buffer) { events.append(String(buffer: event)) }
        while let event = try framer.decodeLast(buffer: &buffer, seenEOF: true) { events.append(String(buffer: event)) }
        return events
    }

    @Test("streams each recorded frame exactly, at its recorded offset, with framing headers recomputed")
    func recordedTiming() async throws {
        try await withReplay(timing: .recorded) { base, server, client in
            let response = try await send(
                client,
                "\(base)/v1/chat/completions",
                body: #"{"stream":true,"model":"m","stream_options":{"include_usage":true}}"#
            )
            #expect(response.status == 200)
            #expect(response.body.bytes == Array(Self.events.joined().utf8))
            #expect(try events(in: response.body.bytes) == Self.events)
            #expect(response.headers.contains { $0.0.lowercased() == "x-request-id" && $0.1 == "req_1" })
            #expect(!response.headers.contains { $0.0.lowercased() == "connection" && $0.1 == "keep-alive" })
            // The last frame cannot arrive before its recorded offset; frames came in several chunks.
            let lastChunk = try #require(response.body.chunks.last)
            #expect(lastChunk.elapsed >= .milliseconds(Self.offsets[3]))
            #expect(response.body.chunks.count >= 2)
            #expect(await server.unplayedReport().map(\.path) == ["/v1/blob", "/v1/unplayed"])
        }
    }

    @Test("instant timing writes the same frames without waiting for offsets", .timeLimit(.minutes(1)))
    func instantTiming() async throws {
        // Frames recorded an hour apart: waiting for even one offset would blow the time limit,
        // while the bound below is far beyond anything a loaded machine adds.
        let hourApart = [0, 3_600_000, 7_200_000, 10_800_000]
        try await withReplay(timing: .instant, offsets: hourApart) { base, _, client in
            let response = try await send(client, "\(base)/v1/chat/completions", body: #"{"model":"m","stream":true}"#)
            #expect(try events(in: response.body.bytes) == Self.events)
            #expect(try #require(response.body.chunks.last).elapsed < .seconds(30))
        }
    }

    @Test("a whole encoded body is sent byte for byte with content-encoding kept and a correct length")
    func wholeBody() async throws {
        try await withReplay(timing: .instant) { base, _, client in
            let response = try await send(client, "\(base)/v1/blob", method: .GET)
            #expect(response.status == 503)
            #expect(response.body.bytes == Self.gzipBytes)
            #expect(response.headers.contains { $0.0.lowercased() == "content-encoding" && $0.1 == "gzip" })
            #expect(response.headers.filter { $0.0.lowercased() == "content-length" }.map(\.1) == ["\(Self.gzipBytes.count)"])
        }
    }

    @Test("a miss answers 404 cassette_miss naming the nearest request; healthz is not matched")
    func missAndHealth() async throws {
        try await withReplay(timing: .instant) { base, server, client in
            let health = try await send(client, "\(base)/healthz", method: .GET)
            #expect(health.status == 200)
            let miss = try await send(client, "\(base)/v1/chat/completions", body: #"{"model":"other","stream":true}"#)
            #expect(miss.status == 404)
            let json = try JSONValue(parsing: Data(miss.body.bytes))
            #expect(json["error"]?["type"] == "cassette_miss")
            let message = try #require(json["error"]?["message"]?.stringValue)
            #expect(message.contains("nearest is POST /v1/chat/completions"))
            #expect(message.contains(#"body.model: recorded "m", received "other""#))
            #expect(await server.unplayedReport().count == 3)
        }
    }
}
