import Proxy
import Testing

/// The trimming the request path uses on header values: RFC 9110's optional whitespace (spaces
/// and tabs) around a value or a list element, nothing more.
@Suite("HTTP optional whitespace")
struct HTTPWhitespaceTests {
    @Test("spaces and tabs go from both ends; inner whitespace and other characters stay", arguments: [
        ("sk-key", "sk-key"),
        ("  sk-key\t ", "sk-key"),
        ("\t text/event-stream", "text/event-stream"),
        ("a b\tc", "a b\tc"),
        ("   ", ""),
        ("", ""),
        (" ключ ", "ключ"),
        ("\u{00A0}key\u{00A0}", "\u{00A0}key\u{00A0}"),  // a no-break space is not HTTP whitespace
        ("key\r\n", "key\r\n"),
    ])
    func trims(value: String, expected: String) {
        #expect(value.trimmingHTTPWhitespace() == expected[...])
        #expect(value[...].trimmingHTTPWhitespace() == expected[...])
    }
}
