import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MockProviders
import NIOCore
import NIOEmbedded
import Synchronization
import WireFormats

/// The emulators' request handling: a client's request, as any SDK (or any careless client)
/// could send it, through an emulator's own router, in process.
enum EmulatorTargets {
    /// Each emulator with the key it accepts (sent as its SDK sends it) and its JSON operations.
    struct Emulator {
        let responder: any HTTPResponder<BasicRequestContext>
        let credential: (name: HTTPField.Name, value: String)
        let paths: [String]
    }

    static let emulators: [Emulator] = [
        Emulator(
            responder: CompatibleEmulator.makeRouter(profile: OpenAIEmulator.profile).buildResponder(),
            credential: (.authorization, "Bearer \(OpenAIEmulator.apiKey)"),
            paths: ["/v1/chat/completions", "/v1/responses", "/v1/embeddings"]),
        Emulator(
            responder: AnthropicEmulator.makeRouter().buildResponder(),
            credential: (HTTPField.Name("x-api-key")!, AnthropicEmulator.apiKey),
            paths: ["/v1/messages", "/v1/messages/count_tokens"]),
        Emulator(
            responder: GeminiEmulator.makeRouter().buildResponder(),
            credential: (HTTPField.Name("x-goog-api-key")!, GeminiEmulator.apiKey),
            paths: ["/v1beta/models/gemini-2.0-flash:generateContent", "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", "/v1beta/models/text-embedding-004:embedContent"]),
        Emulator(
            responder: BedrockEmulator.makeRouter().buildResponder(),
            credential: (.authorization, "Bearer \(AWSMockCredentialAuthority.bedrockAPIKey)"),
            paths: ["/model/anthropic.claude-3-haiku-20240307-v1:0/converse", "/model/amazon.nova-lite-v1:0/converse-stream", "/model/amazon.titan-embed-text-v2:0/invoke"]),
        Emulator(
            responder: CohereEmulator.makeRouter().buildResponder(),
            credential: (.authorization, "Bearer \(CohereEmulator.apiKey)"),
            paths: ["/v2/chat", "/v2/embed", "/v1/chat"]),
        Emulator(
            responder: CompatibleEmulator.makeRouter(profile: OllamaEmulator.profile).buildResponder(),
            credential: (.authorization, "Bearer \(OllamaEmulator.apiKey)"),
            paths: ["/api/chat", "/api/generate", "/api/embed", "/v1/chat/completions"]),
    ]

    static let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
    /// The request context's channel, one for every input: the handlers never use it, and an
    /// embedded channel made per input and never closed is a reference cycle LeakSanitizer reports.
    static let channel = EmbeddedChannel()

    /// The input's first byte picks the emulator (`'0'`…`'5'` in the seeds); the rest is a body,
    /// posted to one of its JSON operations (picked by the body's length), or, when it starts
    /// with `/`, a path line and the body posted there. Invariants: an emulator answers every request — a refusal in its
    /// provider's shape, never a 500 (the emulator's own failure) — and says `application/json`
    /// only over JSON.
    static func emulators(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let emulator = self.emulators[Int(first) % self.emulators.count]
        let input = Array(bytes.dropFirst())
        var requests: [(path: String, body: [UInt8])] = [(emulator.paths[input.count % emulator.paths.count], input)]
        if input.first == UInt8(ascii: "/"), let (line, rest) = splitFirstLine(input) { requests = [(line, rest)] }
        let done = DispatchSemaphore(value: 0)
        Task {
            for (path, body) in requests { await self.check(emulator, path: path, body: body) }
            done.signal()
        }
        done.wait()
    }

    static func check(_ emulator: Emulator, path: String, body: [UInt8]) async {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[emulator.credential.name] = emulator.credential.value
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: self.channel, logger: self.logger))
        let response: Response
        do {
            response = try await emulator.responder.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            // A refusal the router renders (404 for an unknown path, 400 for a bad parameter).
            precondition(error.status.code < 500, "the emulator threw \(error.status) for \(path)")
            return
        } catch {
            preconditionFailure("the emulator threw \(error) for \(path)")
        }
        precondition(response.status.code != 500, "the emulator answered 500 for \(path)")
        let collected = CollectingWriter()
        do {
            try await response.body.write(collected)
        } catch {
            return  // a stream the emulator ended with an error of its own: still an answer
        }
        let contentType = response.headers[.contentType] ?? ""
        if contentType.hasPrefix("application/json") {
            let written = collected.bytes.withLock { $0 }
            precondition((try? JSONValue(parsing: Data(written.readableBytesView))) != nil, "\(path) answered application/json that is not JSON")
        }
    }

    /// Keeps what a response body writes.
    final class CollectingWriter: ResponseBodyWriter, Sendable {
        let bytes = Mutex(ByteBuffer())

        func write(_ buffer: ByteBuffer) async throws {
            _ = self.bytes.withLock { $0.writeImmutableBuffer(buffer) }
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
