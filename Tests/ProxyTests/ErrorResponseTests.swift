import AsyncHTTPClient
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

/// Each class of failure gets an honest status and a body the OpenAI SDK parses.
@Suite(.timeLimit(.minutes(1)))
struct ErrorResponseTests {
    /// Decodes `{"error":{...}}` the way the OpenAI SDK does (`body["error"]`).
    struct OpenAIError: Decodable {
        struct Detail: Decodable {
            let message: String
            let type: String
            let code: String?
        }
        let error: Detail
    }

    static func decodeError(_ response: HTTPClientResponse) async throws -> OpenAIError.Detail {
        #expect(response.headers.first(name: "content-type") == "application/json")
        let body = try await response.body.collect(upTo: 1 << 16)
        return try JSONDecoder().decode(OpenAIError.self, from: Data(buffer: body)).error
    }

    /// An upstream that must not be reached: the proxy answers these itself.
    static func unreachedUpstream(_ router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { _, _ -> Response in
            Issue.record("the upstream was called for a request the proxy should have rejected")
            return Response(status: .ok)
        }
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let body: String
        let contentType: String?
        let key: String?
        let status: HTTPResponseStatus
        let code: String
        var testDescription: String { self.name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "malformed JSON", path: "/v1/openai/chat/completions", body: #"{"model":"#, contentType: "application/json", key: "sk-a", status: .badRequest, code: "invalid_json"),
        BadInput(name: "JSON that is not an object", path: "/v1/openai/chat/completions", body: "[1,2]", contentType: "application/json", key: "sk-a", status: .badRequest, code: "invalid_json"),
        BadInput(name: "wrong content type", path: "/v1/openai/chat/completions", body: "{}", contentType: "text/plain", key: "sk-a", status: .unsupportedMediaType, code: "unsupported_media_type"),
        BadInput(name: "no content type", path: "/v1/openai/embeddings", body: "{}", contentType: nil, key: "sk-a", status: .unsupportedMediaType, code: "unsupported_media_type"),
        BadInput(name: "missing key", path: "/v1/openai/chat/completions", body: #"{"model":"m"}"#, contentType: "application/json", key: nil, status: .unauthorized, code: "missing_api_key"),
        BadInput(name: "unknown provider", path: "/v1/nosuch/chat/completions", body: "{}", contentType: "application/json", key: "sk-a", status: .notFound, code: "unknown_route"),
        BadInput(name: "path outside /v1", path: "/chat/completions", body: "{}", contentType: "application/json", key: "sk-a", status: .notFound, code: "unknown_route"),
    ]

    @Test("bad input is rejected by the proxy with the right status and OpenAI body", arguments: badInputs)
    func badInputRejected(input: BadInput) async throws {
        try await withUpstream(Self.unreachedUpstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    var request = HTTPClientRequest(url: proxy + input.path)
                    request.method = .POST
                    if let contentType = input.contentType { request.headers.add(name: "content-type", value: contentType) }
                    if let key = input.key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
                    request.body = .bytes(ByteBuffer(string: input.body))
                    let response = try await client.execute(request, timeout: .seconds(10))
                    #expect(response.status == input.status)
                    let error = try await Self.decodeError(response)
                    #expect(error.code == input.code)
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }

    @Test("a body over ARCHESTRA_API_BODY_LIMIT is rejected with 413")
    func oversizedBody() async throws {
        try await withUpstream(Self.unreachedUpstream) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_API_BODY_LIMIT": "1kb"]) { proxy in
                try await withTestClient { client in
                    let big = #"{"model":"m","messages":[{"role":"user","content":""# + String(repeating: "x", count: 4096) + #""}]}"#
                    let response = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: big), timeout: .seconds(10))
                    #expect(response.status == .payloadTooLarge)
                    #expect(try await Self.decodeError(response).code == "request_too_large")
                }
            }
        }
    }

    @Test("an upstream error is relayed with its status, rate-limit headers and body")
    func upstreamErrorRelayed() async throws {
        let upstreamBody = #"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(
                    status: .tooManyRequests,
                    headers: [
                        .contentType: "application/json", .retryAfter: "1", HTTPField.Name("x-ratelimit-remaining-requests")!: "0",
                        HTTPField.Name("x-request-id")!: "req_123",
                    ],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: upstreamBody))
                )
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m"}"#), timeout: .seconds(10))
                    #expect(response.status == .tooManyRequests)
                    #expect(response.headers.first(name: "retry-after") == "1")
                    #expect(response.headers.first(name: "x-ratelimit-remaining-requests") == "0")
                    #expect(response.headers.first(name: "x-request-id") == "req_123")
                    #expect(try await response.bodyText() == upstreamBody)
                }
            }
        }
    }

    @Test("an unreachable upstream is a 502 in OpenAI's shape")
    func unreachableUpstream() async throws {
        // Port 1 on loopback refuses connections: nothing listens there on a test machine.
        try await withProxy(upstreamPort: 1) { proxy in
            try await withTestClient { client in
                let response = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m"}"#), timeout: .seconds(10))
                #expect(response.status == .badGateway)
                #expect(try await Self.decodeError(response).code == "upstream_unreachable")
            }
        }
    }

    @Test("an upstream that never answers is a 504 after the read timeout")
    func upstreamTimeout() async throws {
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ -> Response in
                var gate = release.makeAsyncIterator()
                await gate.next()  // silent until the test has seen the proxy give up
                return Response(status: .ok)
            }
        }) { upstreamPort in
            defer { releaseContinuation.finish() }
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_UPSTREAM_READ_TIMEOUT_SECONDS": "1"]) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"m"}"#), timeout: .seconds(20))
                    #expect(response.status == .gatewayTimeout)
                    #expect(try await Self.decodeError(response).code == "upstream_timeout")
                }
            }
        }
    }


    @Test("beyond ARCHESTRA_MAX_CONCURRENT_REQUESTS the proxy answers 503 at once; a finished stream frees its slot")
    func concurrencyLimit() async throws {
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        try await withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: {\"n\":1}\n\n"))
                    var gate = release.makeAsyncIterator()
                    await gate.next()
                    try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                    try await writer.finish(nil)
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_MAX_CONCURRENT_REQUESTS": "1"]) { proxy in
                try await withTestClient { client in
                    let url = "\(proxy)/v1/openai/chat/completions"
                    let stream = try await client.execute(openAIRequest(url, json: #"{"model":"m","stream":true}"#), timeout: .seconds(10))
                    var events = stream.body.makeAsyncIterator()
                    _ = try await events.next()  // the stream holds the only slot now

                    let rejected = try await client.execute(openAIRequest(url, json: #"{"model":"m","stream":true}"#), timeout: .seconds(10))
                    #expect(rejected.status == .serviceUnavailable)
                    #expect(rejected.headers.first(name: "retry-after") == "1")
                    #expect(try await Self.decodeError(rejected).code == "overloaded")

                    releaseContinuation.yield()
                    while try await events.next() != nil {}
                    releaseContinuation.yield()  // for the next request's stream
                    // The slot is freed once the first stream's body is done; poll, no sleeping.
                    var status: HTTPResponseStatus = .serviceUnavailable
                    for _ in 0..<200 where status == .serviceUnavailable {
                        let next = try await client.execute(openAIRequest(url, json: #"{"model":"m","stream":true}"#), timeout: .seconds(10))
                        status = next.status
                        _ = try await next.body.collect(upTo: 1 << 16)
                    }
                    #expect(status == .ok)
                }
            }
        }
    }
}
