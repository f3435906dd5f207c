import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TestSupport
import Testing

/// SIGTERM with streams in flight (issue 10): new connections are refused at once, a stream that
/// ends within the grace period is delivered whole, one that does not is ended with the dialect's
/// in-band error just before the grace runs out, and the process exits 0 either way.
@Suite(.timeLimit(.minutes(1)))
struct ShutdownTests {

    static let chunk = #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}"#

    /// One SSE event, then the rest once `gate` opens (never, for a stream the grace must cut).
    static func streamingUpstream(_ gate: Gate) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.post("/v1/chat/completions") { request, _ -> Response in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: "data: \(Self.chunk)\n\n"))
                        await gate.wait()
                        try await writer.write(ByteBuffer(string: "data: \(Self.chunk)\n\ndata: [DONE]\n\n"))
                        try await writer.finish(nil)
                    })
            }
        }
    }

    /// Starts a stream through `archestra serve`, waits for its first event, sends SIGTERM, checks
    /// that new connections are refused, then lets `afterTerm` decide the upstream's fate and
    /// returns everything the client received.
    static func streamAcrossSIGTERM(grace: Int, afterTerm: @Sendable @escaping (Gate) async -> Void) async throws -> (received: String, wasCut: Bool, termination: ChildProcess.Termination) {
        let gate = Gate()
        return try await withUpstream(Self.streamingUpstream(gate)) { upstreamPort in
            let environment = ServeProcessTests.childEnvironment([
                "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1", "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-test",
                "ARCHESTRA_SHUTDOWN_GRACE_SECONDS": "\(grace)", "ARCHESTRA_DATABASE_URL": "sqlite::memory:",
            ])
            let received = Received()
            let run = try await runArchestra(["serve"], environment: environment) { (control: ArchestraProcessControl) in
                try await withTestClient { client in
                    let json = #"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
                    let response = try await client.execute(
                        openAIRequest("http://127.0.0.1:\(control.port)/v1/openai/chat/completions", json: json, key: nil), timeout: .seconds(30))
                    #expect(response.status == .ok)
                    var iterator = response.body.makeAsyncIterator()
                    let first = try #require(try await iterator.next())
                    await received.add(String(buffer: first))
                    control.terminate()
                    // New connections are refused once the listener has closed.
                    var refused = false
                    while !refused, control.isRunning() {
                        do {
                            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(control.port)/healthz"), timeout: .seconds(2))
                            await Task.yield()
                        } catch {
                            refused = true
                        }
                    }
                    if !refused {
                        // The process ended (its grace ran out) before a probe was refused: nothing
                        // listens any more, which the next connection shows.
                        do {
                            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(control.port)/healthz"), timeout: .seconds(2))
                        } catch {
                            refused = true
                        }
                    }
                    #expect(refused)
                    await afterTerm(gate)
                    do {
                        while let chunk = try await iterator.next() { await received.add(String(buffer: chunk)) }
                    } catch {
                        await received.cut()
                    }
                    // Let the stand-in's handler return, or its own graceful shutdown waits for it.
                    await gate.open()
                }
            }
            return (await received.text, await received.wasCut, run.termination)
        }
    }

    actor Received {
        var text = ""
        /// Whether the connection closed before the response's end.
        var wasCut = false
        func add(_ part: String) { self.text += part }
        func cut() { self.wasCut = true }
    }

    @Test("a stream that ends within the grace period is delivered whole, and the process exits 0")
    func streamFinishesWithinGrace() async throws {
        let (received, wasCut, termination) = try await Self.streamAcrossSIGTERM(grace: 20) { gate in await gate.open() }
        #expect(!wasCut)
        #expect(received.hasSuffix("data: [DONE]\n\n"), "\(received)")
        #expect(received.components(separatedBy: "\"content\":\"hi\"").count == 3)
        #expect(termination == .exited(0))
    }

    /// Just before the grace runs out (ShutdownCutoff: a quarter of a 2 s grace before), the
    /// stream ends with OpenAI's in-band error event, which the SDKs raise as an API error, and a
    /// proper end of body — never `[DONE]`, so it is never passed off as a complete answer.
    @Test("a stream still open when the grace runs out ends with the dialect's in-band error, and the process exits 0")
    func streamCutAtGraceEnd() async throws {
        let (received, wasCut, termination) = try await Self.streamAcrossSIGTERM(grace: 2) { _ in }
        #expect(!wasCut, "the body ended properly: \(received)")
        #expect(received.components(separatedBy: "\"content\":\"hi\"").count == 2, "\(received)")
        #expect(!received.contains("[DONE]"))
        let errorEvent = try #require(received.components(separatedBy: "\n\n").first { $0.contains("\"error\"") }, "\(received)")
        #expect(errorEvent.hasPrefix("data: "))
        let error = try JSONSerialization.jsonObject(with: Data(errorEvent.dropFirst("data: ".count).utf8)) as? [String: Any]
        let detail = try #require(error?["error"] as? [String: Any])
        #expect(detail["code"] as? String == "proxy_shutting_down")
        #expect(detail["type"] as? String == "server_error")
        #expect((detail["message"] as? String)?.contains("shutting down") == true)
        #expect(termination == .exited(0))
    }
}
