import NIOCore
import Testing
import WireFormats

struct JSONLinesFramerTests {
    static let stream = "{\"message\":{\"content\":\"Hel\"},\"done\":false}\n{\"message\":{\"content\":\"lo\"},\"done\":false}\n{\"done\":true}"

    @Test("lines are identical however the stream is chunked", arguments: SSEEventFramerTests.chunkings(of: stream))
    func linesDoNotDependOnChunking(chunks: [String]) throws {
        var framer = JSONLinesFramer()
        var buffer = ByteBuffer()
        var lines: [String] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let line = try framer.decode(buffer: &buffer) { lines.append(String(buffer: line)) }
        }
        while let line = try framer.decodeLast(buffer: &buffer, seenEOF: true) { lines.append(String(buffer: line)) }
        #expect(lines == [
            "{\"message\":{\"content\":\"Hel\"},\"done\":false}\n",
            "{\"message\":{\"content\":\"lo\"},\"done\":false}\n",
            "{\"done\":true}",
        ])
    }
}
