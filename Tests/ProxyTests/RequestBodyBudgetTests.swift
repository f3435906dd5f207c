import AsyncHTTPClient
import Foundation
import NIOCore
import Proxy
import Testing
import WireFormats

/// The cap on request bodies held in memory across all requests (issue: twenty concurrent 49 MB
/// bodies took 920 MiB): past it a request is refused with 503 and `retry-after` before its body is
/// read, and the bytes come back when a request is done with its body.
@Suite(.timeLimit(.minutes(1)))
struct RequestBodyBudgetTests {
    @Test("reservations add up to the limit, a refused one takes nothing, releases give bytes back")
    func accounting() throws {
        let budget = RequestBodyBudget(limit: 100)
        var first = BodyReservation()
        try first.add(60, from: budget)
        var second = BodyReservation()
        #expect(throws: ProxyError.self) { try second.add(41, from: budget) }
        #expect(budget.inUse == 60 && second.bytes == 0)
        try second.add(40, from: budget)
        #expect(budget.inUse == 100)
        budget.release(first.bytes)
        budget.release(second.bytes)
        #expect(budget.inUse == 0)
    }

    @Test("while one large body is in flight a second is refused with 503 and retry-after; once it is done, the next is served")
    func concurrentBodies() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = ["ARCHESTRA_API_BODY_LIMIT": "1000000", "ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES": "1500000"]
            try await withProxy(upstreamPort: port, environment: environment) { proxy in
                try await withTestClient { client in
                    let size = 900_000
                    let (chunks, feed) = AsyncStream<ByteBuffer>.makeStream()
                    var held = HTTPClientRequest(url: "\(proxy)/v1/openai/chat/completions")
                    held.method = .POST
                    held.headers.add(name: "content-type", value: "application/json")
                    held.headers.add(name: "authorization", value: "Bearer sk-test")
                    held.body = .stream(chunks, length: .known(Int64(size)))
                    let prefix = #"{"model":"m","messages":[],"pad":""#
                    let suffix = #""}"#
                    feed.yield(ByteBuffer(string: prefix))
                    async let heldResponse = client.execute(held, timeout: .seconds(30))

                    let body = #"{"model":"m","messages":[],"pad":""# + String(repeating: "a", count: 800_000) + #""}"#
                    // The held request's declared length is reserved as soon as its head is read;
                    // poll until the second request meets it.
                    var refused: HTTPClientResponse?
                    for _ in 0..<500 {
                        let response = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: body), timeout: .seconds(10))
                        if response.status == .serviceUnavailable {
                            refused = response
                            break
                        }
                        _ = try await response.body.collect(upTo: 4 << 20)
                    }
                    let response = try #require(refused)
                    #expect(response.headers.first(name: "retry-after") == "1")
                    let error = try JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
                    #expect(error["error"]?["message"]?.stringValue?.contains("ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES") == true)

                    feed.yield(ByteBuffer(string: String(repeating: "a", count: size - prefix.utf8.count - suffix.utf8.count) + suffix))
                    feed.finish()
                    #expect(try await heldResponse.status == .ok)
                    let after = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: body), timeout: .seconds(10))
                    #expect(after.status == .ok)
                }
            }
        }
    }

    @Test("a buffered-bytes cap below the body limit is a configuration error that names both")
    func configuration() {
        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(environment: ["ARCHESTRA_API_BODY_LIMIT": "2000000", "ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES": "1000000"], host: "127.0.0.1", port: 0)
        }
    }
}
