import HTTPTypes
@testable import Proxy
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

@Suite("The client's key in its credential header")
struct ClientKeyLocationTests {
    @Test("the Bearer scheme in any case, the key trimmed; anything else is no key", arguments: [
        ("Bearer sk-key", "sk-key"),
        ("bearer sk-key", "sk-key"),
        ("BEARER sk-key", "sk-key"),
        ("BeArEr \tsk-key ", "sk-key"),
        ("Basic sk-key", nil),
        ("Bearers sk-key", nil),
        ("Bearer", nil),
        ("Bearer    ", nil),
        ("Bearer\u{00C9} sk-key", nil),
        ("sk-key", nil),
    ] as [(String, String?)])
    func bearer(value: String, expected: String?) {
        let client = ClientCredentials(headers: [.authorization: value], query: nil)
        #expect(ClientCredentialLocation.authorizationBearer.key(in: client) == expected)
    }

    @Test("a key alone in its header, whatever the header's case on the wire")
    func namedHeader() throws {
        // HTTPFields trims the value as it is set.
        let client = ClientCredentials(headers: [try #require(HTTPField.Name("X-Api-Key")): " sk-ant "], query: nil)
        #expect(ClientCredentialLocation.header("x-api-key").rawValue(in: client) == "sk-ant")
        #expect(ClientCredentialLocation.header("x-api-key").key(in: client) == "sk-ant")
        #expect(ClientCredentialLocation.header("api-key").key(in: client) == nil)
    }
}
