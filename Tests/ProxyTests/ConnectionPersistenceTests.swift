import Foundation
import Hummingbird
import NIOCore
import Testing

/// Each request answered in its own HTTP version's framing, and the connection closed when the
/// request asked for it (`ConnectionPersistenceHandler`). Each exchange below returns only once
/// the proxy has closed the connection: a connection left open fails the suite's time limit.
@Suite(.timeLimit(.minutes(1)))
struct ConnectionPersistenceTests {
    static func upstream(_ router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: {\"choices\":[]}\n\n"))
                    try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                    try await writer.finish(nil)
                })
        }
        router.get("/v1/models") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
        }
    }

    static func streamRequest(version: String, connection: String? = nil) -> String {
        let body = #"{"model":"gpt-4o","messages":[],"stream":true}"#
        return "POST /v1/openai/chat/completions HTTP/\(version)\r\nHost: x\r\nAuthorization: Bearer sk-test\r\nContent-Type: application/json\r\n"
            + (connection.map { "Connection: \($0)\r\n" } ?? "") + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static func modelsRequest(version: String, connection: String? = nil) -> String {
        "GET /v1/openai/models HTTP/\(version)\r\nHost: x\r\nAuthorization: Bearer sk-test\r\n" + (connection.map { "Connection: \($0)\r\n" } ?? "") + "\r\n"
    }

    func withProxyPort(_ body: (Int) async throws -> Void) async throws {
        try await withUpstream(Self.upstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await body(try #require(URL(string: proxy)?.port))
            }
        }
    }

    @Test("an HTTP/1.0 stream is answered in HTTP/1.0, unchunked, delimited by the close")
    func http10Stream() async throws {
        try await self.withProxyPort { port in
            for connection in [nil, "keep-alive"] {
                let received = try await rawHTTPExchange(port: port, request: Self.streamRequest(version: "1.0", connection: connection))
                let (head, body) = try Self.split(received)
                #expect(head.hasPrefix("HTTP/1.0 200 OK\r\n"), "\(received)")
                #expect(head.lowercased().contains("connection: close"))
                #expect(!head.lowercased().contains("transfer-encoding"))
                // No chunk sizes: the events as the upstream sent them, then the close.
                #expect(body == "data: {\"choices\":[]}\n\ndata: [DONE]\n\n", "\(connection ?? "-")")
            }
        }
    }

    @Test("HTTP/1.0 keep-alive is honoured for a delimited answer and said so; the next 1.0 request without it closes")
    func http10KeepAlive() async throws {
        try await self.withProxyPort { port in
            let received = try await rawHTTPExchange(
                port: port, request: Self.modelsRequest(version: "1.0", connection: "keep-alive") + Self.modelsRequest(version: "1.0"))
            let answers = received.components(separatedBy: "HTTP/1.0 200 OK\r\n").dropFirst()
            #expect(answers.count == 2, "\(received)")
            #expect(answers.first?.lowercased().contains("connection: keep-alive") == true)
            #expect(answers.last?.lowercased().contains("connection: close") == true)
            #expect(answers.allSatisfy { $0.hasSuffix(#"{"data":[]}"#) })
        }
    }

    @Test("HTTP/1.1 `connection: close` closes after the answer in any case and among other tokens; a stream before it stays chunked")
    func http11Close() async throws {
        try await self.withProxyPort { port in
            for connection in ["Close", "keep-alive, close", "CLOSE"] {
                let received = try await rawHTTPExchange(port: port, request: Self.streamRequest(version: "1.1") + Self.modelsRequest(version: "1.1", connection: connection))
                let answers = received.components(separatedBy: "HTTP/1.1 200 OK\r\n").dropFirst()
                #expect(answers.count == 2, "\(connection): \(received)")
                #expect(answers.first?.lowercased().contains("transfer-encoding: chunked") == true)
                #expect(answers.last?.lowercased().contains("connection: close") == true, "\(connection)")
            }
        }
    }

    static func split(_ response: String) throws -> (head: String, body: String) {
        let range = try #require(response.range(of: "\r\n\r\n"))
        return (String(response[..<range.upperBound]), String(response[range.upperBound...]))
    }
}
