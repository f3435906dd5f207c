import NIOCore
import Testing
import WireFormats

struct SSEEventTests {
    @Test("multi-line data is joined with LF and one leading space is stripped")
    func multiLineData() {
        let event = SSEEvent(parsing: "event: delta\ndata: {\"a\":\ndata:  1}\n\n")
        #expect(event.event == "delta")
        #expect(event.data == "{\"a\":\n 1}")
        #expect(!event.isCommentOnly)
    }

    @Test("CRLF and CR line endings parse like LF")
    func lineEndings() {
        #expect(SSEEvent(parsing: "event: x\r\ndata: y\r\n\r\n") == SSEEvent(event: "x", data: "y"))
        #expect(SSEEvent(parsing: "event: x\rdata: y\r\r") == SSEEvent(event: "x", data: "y"))
    }

    @Test("comments carry nothing and a comment-only block is flagged")
    func comments() {
        let keepAlive = SSEEvent(parsing: ": OPENROUTER PROCESSING\n\n")
        #expect(keepAlive.isCommentOnly)
        #expect(keepAlive.data.isEmpty)
        #expect(SSEEvent(parsing: ": note\ndata: x\n\n").data == "x")
    }

    @Test("retry must be all digits; id with NUL is ignored; unknown fields are ignored")
    func fieldRules() {
        #expect(SSEEvent(parsing: "retry: 1500\ndata: a\n\n").retry == 1500)
        #expect(SSEEvent(parsing: "retry: 15s\ndata: a\n\n").retry == nil)
        #expect(SSEEvent(parsing: "id: a\u{0}b\ndata: a\n\n").id == nil)
        #expect(SSEEvent(parsing: "id: 7\nfoo: bar\ndata: a\n\n") == SSEEvent(data: "a", id: "7"))
    }

    @Test("serialisation round-trips and never writes id lines")
    func serialisation() {
        let event = SSEEvent(event: "response.created", data: "{\"x\":1}\nsecond", id: "9")
        #expect(event.serialized == "event: response.created\ndata: {\"x\":1}\ndata: second\n\n")
        var parsed = SSEEvent(parsing: event.serialized)
        parsed.id = "9"
        #expect(parsed == event)
    }

    @Test("the byte parser reads random blocks exactly as the WHATWG rules over characters do")
    func matchesCharacterReference() {
        var state: UInt64 = 0x55E
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let pieces: [[UInt8]] = [
            Array("data".utf8), Array("event".utf8), Array("id".utf8), Array("retry".utf8), Array("x".utf8), [0x3A], [0x20], [0x0A], [0x0D],
            [0x0D, 0x0A], Array("12".utf8), Array("é".utf8), [0xEF, 0xBB, 0xBF], [0xFF], [0xC3], [0x00], Array("{\"a\":1}".utf8),
        ]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 24) { bytes += pieces[Int(next() % UInt64(pieces.count))] }
            let text = String(decoding: bytes, as: UTF8.self)
            let parsed = SSEEvent(parsing: ByteBuffer(bytes: bytes))
            let reference = Self.referenceParse(text)
            #expect(parsed == reference.event && parsed.isCommentOnly == reference.isCommentOnly, "\(bytes)")
        }
    }

    /// The rules as written on characters (the parser before it went to bytes), as an oracle.
    private static func referenceParse(_ block: String) -> (event: SSEEvent, isCommentOnly: Bool) {
        var event: String?
        var dataLines: [Substring] = []
        var id: String?
        var retry: Int?
        var sawField = false
        var text = Substring(block)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            if line.hasPrefix(":") { continue }
            sawField = true
            let name: Substring
            var value: Substring
            if let colon = line.firstIndex(of: ":") {
                name = line[..<colon]
                value = line[line.index(after: colon)...]
                if value.hasPrefix(" ") { value = value.dropFirst() }
            } else {
                name = line
                value = ""
            }
            switch name {
            case "event": event = String(value)
            case "data": dataLines.append(value)
            case "id" where !value.contains("\0"): id = String(value)
            case "retry" where !value.isEmpty && value.allSatisfy({ $0.isASCII && $0.isNumber }): retry = Int(value)
            default: break
            }
        }
        var parsed = SSEEvent(event: event, data: dataLines.joined(separator: "\n"), id: id, retry: retry)
        parsed.isCommentOnly = !sawField
        return (parsed, !sawField)
    }
}
