import NIOCore
import Testing
import WireFormats

/// The framer is fed the same stream at every chunk size (NIO's `NIOSplitLinesMessageDecoder`
/// approach): chunk boundaries are synthetic, so the events must never depend on them.
struct SSEEventFramerTests {
    /// Runs the framer over `chunks` the way `NIODecodedAsyncSequence` does, returning each event's text.
    static func frame(_ chunks: [String]) throws -> [String] {
        var framer = SSEEventFramer()
        var buffer = ByteBuffer()
        var events: [String] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let event = try framer.decode(buffer: &buffer) {
                events.append(String(buffer: event))
            }
        }
        while let event = try framer.decodeLast(buffer: &buffer, seenEOF: true) {
            events.append(String(buffer: event))
        }
        return events
    }

    /// Every way of cutting `stream` into two or more pieces of equal size.
    static func chunkings(of stream: String) -> [[String]] {
        let bytes = Array(stream.utf8)
        return (1...bytes.count).map { size in
            stride(from: 0, to: bytes.count, by: size).map { start in
                String(decoding: bytes[start..<min(start + size, bytes.count)], as: UTF8.self)
            }
        }
    }

    static let mixedStream =
        ": keep-alive\n\n"
        + "data: {\"a\":1}\n\n"
        + "event: message_start\r\ndata: {\"b\":2}\r\n\r\n"
        + "data: line one\ndata: line two\n\n"
        + "data: cr only\r\r"
        + "data: [DONE]\n\n"

    @Test("events are identical however the stream is chunked", arguments: chunkings(of: mixedStream))
    func eventsDoNotDependOnChunking(chunks: [String]) throws {
        let events = try Self.frame(chunks)
        #expect(
            events == [
                ": keep-alive\n\n",
                "data: {\"a\":1}\n\n",
                "event: message_start\r\ndata: {\"b\":2}\r\n\r\n",
                "data: line one\ndata: line two\n\n",
                "data: cr only\r\r",
                "data: [DONE]\n\n",
            ]
        )
    }

    @Test("a lone CR at a chunk boundary waits for the next byte before deciding")
    func crAtBoundaryIsNotALineEndYet() throws {
        var framer = SSEEventFramer()
        var buffer = ByteBuffer(string: "data: x\r\n\r")
        #expect(try framer.decode(buffer: &buffer) == nil)
        buffer.writeString("\n")
        let event = try #require(try framer.decode(buffer: &buffer))
        #expect(String(buffer: event) == "data: x\r\n\r\n")
        #expect(buffer.readableBytes == 0)
    }

    @Test("bytes after the last blank line are returned at end of stream, not dropped")
    func trailingPartialEventIsKept() throws {
        #expect(try Self.frame(["data: a\n\ndata: trunc"]) == ["data: a\n\n", "data: trunc"])
    }

    @Test("an event is emitted as soon as its blank line arrives")
    func eventEmittedAtBlankLine() throws {
        var framer = SSEEventFramer()
        var buffer = ByteBuffer(string: "data: first\n")
        #expect(try framer.decode(buffer: &buffer) == nil)
        buffer.writeString("\ndata: sec")
        let first = try #require(try framer.decode(buffer: &buffer))
        #expect(String(buffer: first) == "data: first\n\n")
        #expect(try framer.decode(buffer: &buffer) == nil)
    }
}
