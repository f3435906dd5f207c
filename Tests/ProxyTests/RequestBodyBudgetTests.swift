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

    @Test("while one large body is being read a second is refused with 503 and retry-after before it is read; once the first is done, the next is served")
    func concurrentBodies() async throws {
        let budget = RequestBodyBudget(limit: 1_500_000)
        let step = ReadRequestBodyStep(bodyLimitBytes: 1_000_000, budget: budget)
        let size = 900_000
        let prefix = #"{"model":"m","messages":[],"pad":""#
        let suffix = #""}"#
        let (chunks, feed) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        var held = try PipelineStepTests.exchange(body: "")
        held.request.body = .streaming(chunks, declaredLength: size)
        feed.yield(ByteBuffer(string: prefix))
        let heldRead = Task { [held] in
            var exchange = held
            try await step.read(&exchange)
            return exchange.bodyReservation.bytes
        }
        // The declared length is reserved as soon as the read starts.
        while budget.inUse < size { await Task.yield() }

        let body = prefix + String(repeating: "a", count: 800_000) + suffix
        var second = try PipelineStepTests.exchange(body: body)
        second.request.body = .streaming(AsyncThrowingStream { $0.yield(ByteBuffer(string: body)); $0.finish() }, declaredLength: body.utf8.count)
        var refusal: ProxyError?
        do {
            try await step.read(&second)
        } catch {
            refusal = error
        }
        let error = try #require(refusal, "the second body was read past the budget")
        #expect(error.status == .serviceUnavailable && error.retryAfterSeconds == 1)
        #expect(error.message.contains("ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES"))
        #expect(OpenAIDialect().errorResponse(for: error).headers[.retryAfter] == "1")
        #expect(second.bodyReservation.bytes == 0 && budget.inUse == size)

        feed.yield(ByteBuffer(string: String(repeating: "a", count: size - prefix.utf8.count - suffix.utf8.count) + suffix))
        feed.finish()
        let reserved = try await heldRead.value
        #expect(reserved == size)
        budget.release(reserved)  // what the pipeline does when the request is done with its body
        var third = try PipelineStepTests.exchange(body: body)
        try await step.read(&third)
        #expect(third.summary.model == "m")
    }

    @Test("end to end, bodies read by the proxy give their bytes back: requests filling the budget one after another are all served")
    func budgetIsReleased() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let environment = ["ARCHESTRA_API_BODY_LIMIT": "600000", "ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES": "600000"]
            try await withProxy(upstreamPort: port, environment: environment) { proxy in
                try await withTestClient { client in
                    let body = #"{"model":"m","messages":[],"pad":""# + String(repeating: "a", count: 500_000) + #""}"#
                    for _ in 0..<3 {
                        let response = try await client.execute(openAIRequest("\(proxy)/v1/openai/chat/completions", json: body), timeout: .seconds(20))
                        #expect(response.status == .ok)
                        _ = try await response.body.collect(upTo: 4 << 20)
                    }
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
