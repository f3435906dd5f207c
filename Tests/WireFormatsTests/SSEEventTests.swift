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
}
