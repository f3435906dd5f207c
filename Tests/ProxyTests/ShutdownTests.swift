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

    /// A provider route's stream: where the stand-in upstream answers, its first event and the
    /// rest, and how a client asks through the proxy.
    struct StreamRoute: Sendable, CustomTestStringConvertible {
        var upstreamPath: String
        var first: String
        var rest: String
        var baseURLVariable: String
        var keyVariable: String
        var upstreamBasePath = ""
        var proxyPath: String
        var json: String
        /// The model router's route: the client sends a virtual key mapping a stored key of this
        /// provider (raw keys are refused there).
        var virtualKeyProvider: String?

        var testDescription: String { self.proxyPath }

        static let openAI = StreamRoute(
            upstreamPath: "/v1/chat/completions", first: "data: \(ShutdownTests.chunk)\n\n", rest: "data: \(ShutdownTests.chunk)\n\ndata: [DONE]\n\n",
            baseURLVariable: "ARCHESTRA_OPENAI_BASE_URL", keyVariable: "ARCHESTRA_CHAT_OPENAI_API_KEY", upstreamBasePath: "/v1",
            proxyPath: "/v1/openai/chat/completions", json: #"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)

        static let anthropic = StreamRoute(
            upstreamPath: "/v1/messages",
            first: #"event: message_start"# + "\n" + #"data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1}}}"# + "\n\n"
                + #"event: content_block_delta"# + "\n" + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}"# + "\n\n",
            rest: #"event: message_stop"# + "\n" + #"data: {"type":"message_stop"}"# + "\n\n",
            baseURLVariable: "ARCHESTRA_ANTHROPIC_BASE_URL", keyVariable: "ARCHESTRA_CHAT_ANTHROPIC_API_KEY",
            proxyPath: "/v1/anthropic/v1/messages", json: #"{"model":"m","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#)

        /// The model router translating the Anthropic stream above into OpenAI chunks.
        static let modelRouter = StreamRoute(
            upstreamPath: anthropic.upstreamPath, first: anthropic.first, rest: anthropic.rest,
            baseURLVariable: anthropic.baseURLVariable, keyVariable: anthropic.keyVariable,
            proxyPath: "/v1/model-router/chat/completions", json: #"{"model":"anthropic:m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
            virtualKeyProvider: "anthropic")
    }

    /// A database file holding a stored key of `provider` and a virtual key mapping it, made with
    /// the CLI as an operator would: its URL and the virtual key's value.
    static func databaseWithVirtualKey(for provider: String, in directory: URL) async throws -> (url: String, key: String) {
        let url = "sqlite://\(directory.appendingPathComponent("gateway.sqlite").path)"
        let stored = try await runTool(archestraBinary(), ["provider-keys", "create", "--provider", provider, "--key-stdin", "--database-url", url], input: Data("sk-stored".utf8))
        try #require(stored.succeeded, "\(stored.errors)")
        let id = try #require((try JSONSerialization.jsonObject(with: stored.output) as? [String: Any])?["id"] as? String)
        let virtual = try await runTool(archestraBinary(), ["virtual-keys", "create", "--provider-key", id, "--database-url", url])
        try #require(virtual.succeeded, "\(virtual.errors)")
        let value = try #require((try JSONSerialization.jsonObject(with: virtual.output) as? [String: Any])?["value"] as? String)
        return (url, value)
    }

    /// The route's first event, then the rest once `gate` opens (never, for a stream the grace must cut).
    static func streamingUpstream(_ gate: Gate, _ route: StreamRoute) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.post(RouterPath(route.upstreamPath)) { request, _ -> Response in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: route.first))
                        await gate.wait()
                        try await writer.write(ByteBuffer(string: route.rest))
                        try await writer.finish(nil)
                    })
            }
        }
    }

    /// Starts a stream through `archestra serve`, waits for its first event, sends SIGTERM, checks
    /// that new connections are refused, then lets `afterTerm` decide the upstream's fate and
    /// returns everything the client received.
    static func streamAcrossSIGTERM(
        grace: Int, route: StreamRoute = .openAI, afterTerm: @Sendable @escaping (Gate) async -> Void
    ) async throws -> (received: String, wasCut: Bool, termination: ChildProcess.Termination) {
        let gate = Gate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var (databaseURL, clientKey): (String, String?) = ("sqlite::memory:", nil)
        if let provider = route.virtualKeyProvider { (databaseURL, clientKey) = try await Self.databaseWithVirtualKey(for: provider, in: directory) }
        return try await withUpstream(Self.streamingUpstream(gate, route)) { upstreamPort in
            let environment = ServeProcessTests.childEnvironment([
                route.baseURLVariable: "http://127.0.0.1:\(upstreamPort)\(route.upstreamBasePath)", route.keyVariable: "sk-test",
                "ARCHESTRA_SHUTDOWN_GRACE_SECONDS": "\(grace)", "ARCHESTRA_DATABASE_URL": databaseURL,
            ])
            let received = Received()
            let run = try await runArchestra(["serve"], environment: environment) { (control: ArchestraProcessControl) in
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest("http://127.0.0.1:\(control.port)\(route.proxyPath)", json: route.json, key: clientKey), timeout: .seconds(30))
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
    /// The OpenAI route, and the model router translating an Anthropic stream into OpenAI chunks.
    @Test(
        "a stream still open when the grace runs out ends with the dialect's in-band error, and the process exits 0",
        arguments: [StreamRoute.openAI, .modelRouter])
    func streamCutAtGraceEnd(route: StreamRoute) async throws {
        let (received, wasCut, termination) = try await Self.streamAcrossSIGTERM(grace: 2, route: route) { _ in }
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

    @Test("Anthropic's route: a stream still open when the grace runs out ends with an `event: error`, and the process exits 0")
    func anthropicStreamCutAtGraceEnd() async throws {
        let (received, wasCut, termination) = try await Self.streamAcrossSIGTERM(grace: 2, route: .anthropic) { _ in }
        #expect(!wasCut, "the body ended properly: \(received)")
        #expect(received.contains(#""text":"hi""#), "\(received)")
        #expect(!received.contains("message_stop"))
        let errorEvent = try #require(received.components(separatedBy: "\n\n").first { $0.hasPrefix("event: error") }, "\(received)")
        let data = try #require(errorEvent.split(separator: "\n").first { $0.hasPrefix("data: ") })
        let error = try JSONSerialization.jsonObject(with: Data(data.dropFirst("data: ".count).utf8)) as? [String: Any]
        #expect(error?["type"] as? String == "error")
        let detail = try #require(error?["error"] as? [String: Any])
        #expect((detail["message"] as? String)?.contains("shutting down") == true)
        #expect(termination == .exited(0))
    }
}
