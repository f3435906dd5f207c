import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import MockProviders
import NIOCore
import NIOHTTP1
import NIOPosix
import TestSupport
import Testing

/// Live tests: the real listeners, over loopback, shut down by each test.
@Suite("Mock provider server (live)")
struct MockProviderServerTests {
    static let logger = Logger(label: "archestra.mock.tests")

    /// Runs every emulator on ephemeral ports, hands the endpoints to `test`, then shuts down
    /// gracefully and waits for the server to stop.
    static func withRunningServer<Value: Sendable>(_ test: @Sendable ([EmulatorEndpoint]) async throws -> Value) async throws -> Value {
        let (readyStream, readyContinuation) = AsyncStream.makeStream(of: [EmulatorEndpoint].self)
        let server = MockProviderServer(basePort: 0, logger: Self.logger) { endpoints in
            readyContinuation.yield(endpoints)
            readyContinuation.finish()
        }
        return try await runServiceGroup([server], reportingReadinessTo: readyStream, readyContinuation, test)
    }

    /// Sends raw bytes and returns every byte the server sent until it closed the connection.
    static func rawExchange(port: Int, request: String) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ByteBuffer()
            do {
                for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
            } catch {
                // A reset still leaves what arrived before it; the assertions judge that.
            }
            return String(buffer: received)
        }
    }

    static func chatRequest(model: String) -> String {
        let body = #"{"model":"\#(model)","stream":true,"messages":[{"role":"user","content":"one two three four five six"}]}"#
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(OpenAIEmulator.apiKey)\r\n"
            + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test("the port rule: consecutive ports from the base port, all ephemeral for 0")
    func portRule() {
        #expect(MockProviderServer.requestedPort(basePort: 9100, index: 0) == 9100)
        #expect(MockProviderServer.requestedPort(basePort: 9100, index: 3) == 9103)
        #expect(MockProviderServer.requestedPort(basePort: 0, index: 3) == 0)
        #expect(EmulatorCatalog.all.first?.provider == "openai")
    }

    @Test("every emulator reports a bound endpoint and answers /healthz and an authorised request", .timeLimit(.minutes(1)))
    func endpointsAnswer() async throws {
        try await Self.withRunningServer { endpoints in
            #expect(endpoints.map(\.provider) == EmulatorCatalog.all.map(\.provider))
            let openAI = try #require(endpoints.first)
            #expect(openAI.port > 0)
            #expect(openAI.baseURL == "http://127.0.0.1:\(openAI.port)/v1")
            #expect(openAI.apiKey == OpenAIEmulator.apiKey)

            let health = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(openAI.port)/healthz"), timeout: .seconds(10))
            #expect(health.status == .ok)

            var request = HTTPClientRequest(url: openAI.baseURL + "/chat/completions")
            request.method = .POST
            request.headers.add(name: "authorization", value: "Bearer \(openAI.apiKey)")
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"model":"gpt-4o","messages":[{"role":"user","content":"live"}]}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(body.contains(#""content":"Echo: live""#))
        }
    }

    @Test("drop-mid-stream closes the connection before the chunked terminator; a plain stream ends with it", .timeLimit(.minutes(1)))
    func dropMidStream() async throws {
        try await Self.withRunningServer { endpoints in
            let port = try #require(endpoints.first).port
            let plain = try await Self.rawExchange(port: port, request: Self.chatRequest(model: "gpt-4o-mini"))
            #expect(plain.hasPrefix("HTTP/1.1 200"))
            #expect(plain.lowercased().contains("transfer-encoding: chunked"))
            #expect(plain.contains("data: [DONE]"))
            #expect(plain.hasSuffix("0\r\n\r\n"))

            let dropped = try await Self.rawExchange(port: port, request: Self.chatRequest(model: "gpt-4o-mini@drop-mid-stream"))
            #expect(dropped.hasPrefix("HTTP/1.1 200"))
            #expect(dropped.contains("data: {"), "some frames arrive before the drop")
            #expect(!dropped.contains("[DONE]"))
            #expect(!dropped.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test("hang never answers, and graceful shutdown still ends the server", .timeLimit(.minutes(1)))
    func hangIsCancellable() async throws {
        try await Self.withRunningServer { endpoints in
            let openAI = try #require(endpoints.first)
            var request = HTTPClientRequest(url: openAI.baseURL + "/models")
            request.headers.add(name: "authorization", value: "Bearer \(openAI.apiKey)")
            request.headers.add(name: "x-mock-scenario", value: "hang")
            await #expect(throws: HTTPClientError.deadlineExceeded) {
                _ = try await HTTPClient.shared.execute(request, timeout: .milliseconds(300))
            }
        }
        // Reaching here means withRunningServer's graceful shutdown returned despite the hung handler.
    }
}
