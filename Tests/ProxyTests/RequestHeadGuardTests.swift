import AsyncHTTPClient
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import Proxy
import Synchronization
import Testing

/// Limits on the request head and dot-segments, enforced before routing (issue 10, items 1 and 6).
@Suite(.timeLimit(.minutes(1)))
struct RequestHeadGuardTests {
    // MARK: Dot-segments

    static let dotSegmentPaths = [
        "/v1/openai/../admin",
        "/v1/openai/./chat/completions",
        "/v1/openai/..",
        "/v1/openai/%2e%2e/admin",
        "/v1/openai/%2E%2E/admin",
        "/v1/openai/%2e./admin",
        "/v1/openai/.%2E/admin",
        "/v1/openai/%2e/chat/completions",
        "/v1/openai/x%2f..%2fadmin",
        "/v1/openai/x%2F%2e%2e%2Fadmin",
        "/v1/openai/..%2fadmin",
        "/v1/openai/x\\..\\admin",
        "/v1/openai/x%5c..%5cadmin",
        "/v1/openai/%252e%252e/admin",
        "/v1/openai/..;jsessionid=1/admin",
        "/v1/openai/%25252525252e%25252525252e/admin",
    ]

    static let ordinaryPaths = [
        "/v1/openai/chat/completions",
        "/v1/gemini/v1beta/models/gemini-1.5-pro:generateContent",
        "/v1/bedrock/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-v2%3A0/converse",
        "/v1/openai/files/file.abc",
        "/v1/openai/a..b/.hidden/...",
        "/v1/openai/%41%42",
        "/",
    ]

    @Test("every spelling of a dot-segment is found", arguments: dotSegmentPaths)
    func dotSegmentFound(path: String) {
        #expect(DotSegmentDetector.containsDotSegment(path))
    }

    @Test("paths SDKs send are not mistaken for dot-segments", arguments: ordinaryPaths)
    func ordinaryPathAccepted(path: String) {
        #expect(!DotSegmentDetector.containsDotSegment(path))
    }

    /// How many requests reached a stand-in upstream.
    final class RequestCounter: Sendable {
        private let count = Mutex(0)
        func increment() { self.count.withLock { $0 += 1 } }
        var value: Int { self.count.withLock { $0 } }
    }

    /// An upstream that counts what reaches it.
    static func countingUpstream(_ counter: RequestCounter) -> @Sendable (Router<BasicRequestContext>) -> Void {
        { router in
            let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
                counter.increment()
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
            }
            for method in [HTTPRequest.Method.get, .post] { router.on("/**", method: method, use: handler) }
        }
    }

    @Test("a dot-segment path gets 400 in the route's shape and nothing reaches the upstream, fallback key or not")
    func dotSegmentsNeverForwarded() async throws {
        let reached = RequestCounter()
        try await withUpstream(Self.countingUpstream(reached)) { upstreamPort in
            let environment = [
                "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-fallback",
                "ARCHESTRA_CHAT_ANTHROPIC_API_KEY": "sk-ant-fallback",
                "ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(upstreamPort)",
            ]
            try await withProxy(upstreamPort: upstreamPort, environment: environment) { proxy in
                let port = try #require(URL(string: proxy)?.port)
                for path in Self.dotSegmentPaths {
                    let answer = try await rawHTTPExchange(
                        port: port,
                        request: "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
                    )
                    #expect(rawStatus(answer) == 400, "\(path)")
                    #expect(answer.contains(#""code":"invalid_path""#), "\(path)")
                }
                let anthropic = try await rawHTTPExchange(
                    port: port,
                    request: "POST /v1/anthropic/%2e%2e/v1/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                )
                #expect(rawStatus(anthropic) == 400)
                #expect(anthropic.contains(#""type":"error""#))
                #expect(anthropic.contains(#""type":"invalid_request_error""#))

                // The control: an ordinary path through the same proxy does reach the upstream.
                let ordinary = try await rawHTTPExchange(
                    port: port,
                    request: "GET /v1/openai/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                #expect(rawStatus(ordinary) == 200)
            }
        }
        #expect(reached.value == 1)
    }

    // MARK: Size and count limits

    @Test("the wire size counts the request line, Host, each field with its separators, and the final CRLF")
    func wireSize() {
        var head = HTTPRequest(method: .post, scheme: nil, authority: "h", path: "/p")
        head.headerFields[.contentType] = "a"
        // "POST /p HTTP/1.1\r\n" 18 + "Host: h\r\n" 9 + "Content-Type: a\r\n" 17 + "\r\n" 2
        #expect(RequestHeadGuardMiddleware<BasicRequestContext>.wireSize(of: head) == 46)
    }

    static func head(path: String = "/v1/openai/chat/completions", fields: Int = 3, valueBytes: Int = 10) -> HTTPRequest {
        var head = HTTPRequest(method: .post, scheme: nil, authority: "127.0.0.1", path: path)
        for index in 0..<fields {
            guard let name = HTTPField.Name("x-field-\(index)") else { continue }
            head.headerFields.append(HTTPField(name: name, value: String(repeating: "v", count: valueBytes)))
        }
        return head
    }

    @Test("each limit refuses with its own status; a head within every limit passes")
    func limits() {
        let limits = RequestHeadLimits(maximumHeaderBytes: 4096, maximumHeaderCount: 10, maximumURIBytes: 512)
        typealias Guard = RequestHeadGuardMiddleware<BasicRequestContext>
        #expect(Guard.refusal(of: Self.head(), limits: limits) == nil)
        #expect(Guard.refusal(of: Self.head(path: "/v1/openai/x?q=" + String(repeating: "a", count: 600)), limits: limits)?.status == .uriTooLong)
        #expect(Guard.refusal(of: Self.head(fields: 11), limits: limits)?.status == .requestHeaderFieldsTooLarge)
        #expect(Guard.refusal(of: Self.head(fields: 2, valueBytes: 4000), limits: limits)?.status == .requestHeaderFieldsTooLarge)
        #expect(Guard.refusal(of: Self.head(path: "/v1/openai/%2e%2e/x"), limits: limits) == .dotSegmentInPath)
        // A dot in the query is not a path segment.
        #expect(Guard.refusal(of: Self.head(path: "/v1/openai/models?next=../x"), limits: limits) == nil)
    }

    @Test("431 and 414 are in the route's shape: OpenAI, Anthropic, Bedrock's header")
    func refusalsInDialect() async throws {
        let reached = RequestCounter()
        try await withUpstream(Self.countingUpstream(reached)) { upstreamPort in
            let environment = [
                "ARCHESTRA_MAX_HEADER_COUNT": "20",
                "ARCHESTRA_MAX_HEADER_BYTES": "8kb",
                "ARCHESTRA_MAX_URI_BYTES": "1kb",
                "ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(upstreamPort)",
                "ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)",
            ]
            try await withProxy(upstreamPort: upstreamPort, environment: environment) { proxy in
                let port = try #require(URL(string: proxy)?.port)
                let manyFields = (0..<25).map { "X-F\($0): v\r\n" }.joined()
                let openAI = try await rawHTTPExchange(
                    port: port, request: "GET /v1/openai/models HTTP/1.1\r\nHost: x\r\n\(manyFields)Connection: close\r\n\r\n"
                )
                #expect(rawStatus(openAI) == 431)
                #expect(openAI.contains(#""error":{"#) && openAI.contains("ARCHESTRA_MAX_HEADER_COUNT"))

                let anthropic = try await rawHTTPExchange(
                    port: port,
                    request: "GET /v1/anthropic/v1/models HTTP/1.1\r\nHost: x\r\nX-Pad: \(String(repeating: "p", count: 9000))\r\nConnection: close\r\n\r\n"
                )
                #expect(rawStatus(anthropic) == 431)
                #expect(anthropic.contains(#""type":"error""#) && anthropic.contains("ARCHESTRA_MAX_HEADER_BYTES"))

                let bedrock = try await rawHTTPExchange(
                    port: port,
                    request: "POST /v1/bedrock/model/m/converse?x=\(String(repeating: "q", count: 2000)) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                )
                #expect(rawStatus(bedrock) == 414)
                #expect(bedrock.lowercased().contains("x-amzn-errortype: validationexception"))
            }
        }
        #expect(reached.value == 0)
    }

    // MARK: Configuration

    @Test("defaults: 32 KiB of head, 100 fields, 8 KiB of request target")
    func defaults() throws {
        let limits = try ProxyConfiguration(environment: [:]).requestHeadLimits
        #expect(limits == .defaults)
        #expect(limits.maximumHeaderBytes == 32 * 1024 && limits.maximumHeaderCount == 100 && limits.maximumURIBytes == 8 * 1024)
    }

    @Test("a header limit that would let the forwarded head reach 64 KiB is refused at start")
    func headerLimitCeiling() throws {
        #expect(try ProxyConfiguration(environment: ["ARCHESTRA_MAX_HEADER_BYTES": "48kb"]).requestHeadLimits.maximumHeaderBytes == 48 * 1024)
        #expect(throws: ConfigurationError.self) { try ProxyConfiguration(environment: ["ARCHESTRA_MAX_HEADER_BYTES": "64kb"]) }
        #expect(throws: ConfigurationError.self) { try ProxyConfiguration(environment: ["ARCHESTRA_MAX_HEADER_BYTES": "49153"]) }
        #expect(throws: ConfigurationError.self) { try ProxyConfiguration(environment: ["ARCHESTRA_MAX_URI_BYTES": "40kb"]) }
        #expect(throws: ConfigurationError.self) { try ProxyConfiguration(environment: ["ARCHESTRA_MAX_HEADER_COUNT": "5000"]) }
        #expect(RequestHeadLimits.largestHeaderBytes + RequestHeadLimits.reservedForProxyAddedHeadBytes <= 65_536)
    }
}
