import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import WireFormats

@testable import Proxy

/// Issue 10's fault matrix: every upstream fault, for each kind of message stream the proxy
/// relays — server-sent events (OpenAI's route), JSON lines (Ollama's native API), the AWS event
/// stream (Bedrock's `converse-stream`) — through a real `archestra serve` process in front of a
/// socket-level stand-in (``ScriptedUpstream``).
///
/// For each cell: what the client sees (a status and body in the route's error shape, or the
/// frames the upstream sent followed by the dialect's in-band error), the upstream connection
/// closed, the proxy holding no connection and no more descriptors than before, and no secret in
/// anything the process printed. docs/reliability.md § "The fault matrix" is this test as a table.
@Suite(.timeLimit(.minutes(3)))
struct FaultMatrixTests {
    /// Keys the proxy holds; none may appear in its output.
    static let secrets = [
        "sk-fault-matrix-openai-5b0f3c2e9d",
        "fault-matrix-ollama-key-7a1e44c0",
        "fault-matrix-bedrock-key-c39d12aa",
    ]

    /// Every fault, in the order the matrix runs them.
    enum Fault: String, CaseIterable, Sendable {
        /// A complete stream, the control: everything relayed, nothing added.
        case none
        case resetBeforeHead = "reset-before-head"
        case resetMidStream = "reset-mid-stream"
        case stallBeforeHead = "stall-before-head"
        case stallMidStream = "stall-mid-stream"
        case malformedFrame = "malformed-frame"
        case oversizedFrame = "oversized-frame"
        /// The connection closes between frames, the chunked body never ended.
        case closeMidStream = "close-mid-stream"
        /// The body ends properly, but before the stream's final message.
        case endWithoutFinalMessage = "end-without-final"
        case rateLimited = "rate-limited"
        case unavailable = "unavailable"
        /// An HTTP/1.0 answer without `Content-Length`: the close ends the body.
        case http10WithoutLength = "http10-without-length"
        /// The client reads the first frame, then stops reading while the upstream sends 40 MiB.
        case clientStopsReading = "client-stops-reading"
        case clientLeavesMidStream = "client-leaves"

        /// The `error.code` of the request's log line.
        var loggedErrorCode: String? {
            switch self {
            case .none, .endWithoutFinalMessage, .rateLimited, .unavailable, .http10WithoutLength, .clientStopsReading: nil
            case .malformedFrame: nil  // for the event stream, whose framing it breaks: see `check`
            case .resetBeforeHead: "upstream_unreachable"
            case .stallBeforeHead: "upstream_timeout"
            case .resetMidStream, .stallMidStream, .oversizedFrame, .closeMidStream: "upstream_stream_failed"
            case .clientLeavesMidStream: "client_disconnected"
            }
        }

        /// What the in-band error says happened, for the faults that end in one.
        var inBandReason: String? {
            switch self {
            case .resetMidStream, .closeMidStream: "connection to upstream lost"
            case .stallMidStream: "read timeout"
            case .oversizedFrame: "size limit"
            case .malformedFrame: "malformed event-stream message"
            default: nil
            }
        }

        /// The fault a request names in its model (`fault-<name>`), as the stand-in reads it.
        /// (The first `fault-` that names one: the keys in the test's environment contain the word.)
        init?(request: String) {
            var rest = request[...]
            while let found = rest.range(of: "fault-") {
                let name = rest[found.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
                if let fault = Fault(rawValue: String(name)) {
                    self = fault
                    return
                }
                rest = rest[found.upperBound...]
            }
            return nil
        }
    }

    /// A kind of message stream: its route, and its messages as the stand-in writes them.
    enum StreamKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case serverSentEvents
        case jsonLines
        case awsEventStream

        var testDescription: String { self.rawValue }

        func path(_ fault: Fault) -> String {
            switch self {
            case .serverSentEvents: "/v1/openai/chat/completions"
            case .jsonLines: "/v1/ollama/api/chat"
            case .awsEventStream: "/v1/bedrock/model/fault-\(fault.rawValue)/converse-stream"
            }
        }

        func body(_ fault: Fault) -> String {
            switch self {
            case .serverSentEvents: #"{"model":"fault-\#(fault.rawValue)","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
            case .jsonLines: #"{"model":"fault-\#(fault.rawValue)","messages":[{"role":"user","content":"hi"}]}"#
            case .awsEventStream: #"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#
            }
        }

        var contentType: String {
            switch self {
            case .serverSentEvents: "text/event-stream"
            case .jsonLines: "application/x-ndjson"
            case .awsEventStream: "application/vnd.amazon.eventstream"
            }
        }

        /// The `index`th content message.
        func message(_ index: Int, padding: Int = 0) -> ByteBuffer {
            let text = "part-\(index)" + String(repeating: "x", count: padding)
            switch self {
            case .serverSentEvents:
                return ByteBuffer(string: #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\#(text)"}}]}"# + "\n\n")
            case .jsonLines:
                return ByteBuffer(string: #"{"model":"m","message":{"role":"assistant","content":"\#(text)"},"done":false}"# + "\n")
            case .awsEventStream:
                let payload = #"{"contentBlockIndex":0,"delta":{"text":"\#(text)"},"p":"abcd"}"#
                return try! AWSEventStreamMessage.event(type: "contentBlockDelta", payload: ByteBuffer(string: payload)).encoded()
            }
        }

        /// The message that ends a complete stream.
        var finalMessage: ByteBuffer {
            switch self {
            case .serverSentEvents:
                return ByteBuffer(string: "data: [DONE]\n\n")
            case .jsonLines:
                return ByteBuffer(string: #"{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":2}"# + "\n")
            case .awsEventStream:
                return try! AWSEventStreamMessage.event(type: "messageStop", payload: ByteBuffer(string: #"{"stopReason":"end_turn","p":"ab"}"#)).encoded()
            }
        }

        /// A message the framing delimits but whose content is broken: JSON that does not parse
        /// (the proxy relays what it does not read, as the upstream sent it), or for the event
        /// stream a message whose CRC does not match (the framing itself is broken).
        var malformedMessage: ByteBuffer {
            switch self {
            case .serverSentEvents: return ByteBuffer(string: "data: {\"id\": not json\n\n")
            case .jsonLines: return ByteBuffer(string: "{\"model\": not json\n")
            case .awsEventStream:
                var message = self.message(9)
                let last = message.writerIndex - 1
                message.setInteger(message.getInteger(at: last, as: UInt8.self)! ^ 0xFF, at: last)
                return message
            }
        }

        /// Whether the framing itself is broken by ``malformedMessage`` (and the stream must end
        /// with an in-band error), rather than only the content.
        var malformedMessageBreaksFraming: Bool { self == .awsEventStream }

        /// `rest` is exactly one in-band error message of this stream's dialect: its message.
        func inBandError(_ rest: ByteBuffer) throws -> String? {
            switch self {
            case .serverSentEvents:
                let text = String(buffer: rest)
                guard text.hasPrefix("data: "), text.hasSuffix("\n\n"), text.components(separatedBy: "\n\n").count == 2 else { return nil }
                let object = try JSONSerialization.jsonObject(with: Data(text.dropFirst(6).dropLast(2).utf8)) as? [String: Any]
                let error = object?["error"] as? [String: Any]
                guard error?["code"] as? String == "upstream_stream_failed" else { return nil }
                return error?["message"] as? String
            case .jsonLines:
                let text = String(buffer: rest)
                guard text.hasSuffix("\n"), text.dropLast().split(separator: "\n").count == 1 else { return nil }
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                return object?["error"] as? String
            case .awsEventStream:
                var buffer = rest
                var framer = AWSEventStreamFramer()
                var messages: [AWSEventStreamMessage] = []
                while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) { messages.append(try AWSEventStreamMessage(decoding: frame)) }
                guard messages.count == 1, messages[0].messageType == "exception", messages[0].eventType == "internalServerException" else { return nil }
                let object = try JSONSerialization.jsonObject(with: Data(buffer: messages[0].payload)) as? [String: Any]
                return object?["message"] as? String
            }
        }

        /// How this route names a proxy error code: OpenAI's `code`, or AWS's error type.
        func code(_ code: ProxyError.Code) -> String {
            self == .awsEventStream ? BedrockDialect.errorType(for: ProxyError(code: code, message: "")) : code.rawValue
        }

        /// The error code of a whole error response in the route's shape: OpenAI's envelope (the
        /// Ollama route answers as its OpenAI-compatible API does), or AWS's `message` with the
        /// code in `x-amzn-ErrorType`.
        func errorCode(_ response: HTTPClientResponse, body: String) throws -> String? {
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            switch self {
            case .serverSentEvents, .jsonLines:
                return (object?["error"] as? [String: Any])?["code"] as? String
            case .awsEventStream:
                guard object?["message"] is String else { return nil }
                return response.headers.first(name: "x-amzn-errortype")
            }
        }
    }

    /// What the stand-in does for each fault.
    static func script(_ kind: StreamKind, _ fault: Fault) -> [ScriptedUpstream.Step] {
        typealias Step = ScriptedUpstream.Step
        let head = Step.head(contentType: kind.contentType)
        let start: [Step] = [head, .chunk(kind.message(1)), .chunk(kind.message(2))]
        switch fault {
        case .none: return start + [.chunk(kind.finalMessage), .lastChunk]
        case .resetBeforeHead: return [.reset]
        case .resetMidStream: return start + [.reset]
        case .stallBeforeHead: return [.stall]
        case .stallMidStream: return start + [.stall]
        case .malformedFrame:
            // The stand-in then waits: the proxy must end a stream whose framing broke itself.
            let rest: [Step] = kind.malformedMessageBreaksFraming ? [.stall] : [.chunk(kind.message(3)), .chunk(kind.finalMessage), .lastChunk]
            return start + [.chunk(kind.malformedMessage)] + rest
        case .oversizedFrame:
            // Past ARCHESTRA_MAX_STREAM_EVENT_BYTES (64 KiB here), then a stall.
            return start + [.chunk(kind.message(3, padding: 100_000)), .stall]
        case .closeMidStream: return start
        case .endWithoutFinalMessage: return start + [.lastChunk]
        case .rateLimited:
            let body = #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#
            return [.head("429 Too Many Requests", contentType: "application/json", chunked: false, extra: ["retry-after: 7", "content-length: \(body.utf8.count)"]), .write(ByteBuffer(string: body))]
        case .unavailable:
            let body = #"{"error":{"message":"Overloaded","type":"server_error"}}"#
            return [.head("503 Service Unavailable", contentType: "application/json", chunked: false, extra: ["retry-after: 3", "content-length: \(body.utf8.count)"]), .write(ByteBuffer(string: body))]
        case .http10WithoutLength:
            return [.head(version: "HTTP/1.0", contentType: kind.contentType, chunked: false), .write(kind.message(1)), .write(kind.message(2)), .write(kind.finalMessage)]
        case .clientStopsReading:
            // 40 MiB in 2,560 messages of 16 KiB: more than the socket buffers on the way hold
            // (13–22 MB here: loopback's receive buffers grow to 32 MiB).
            return start + [.writeRepeatedly(Step.chunkBytes(Self.bulkMessage(kind)), times: Self.bulkCount), .chunk(kind.finalMessage), .lastChunk]
        case .clientLeavesMidStream: return start + [.stall]
        }
    }

    /// The slow client's stream: `bulkCount` messages of 16 KiB after the first two.
    static func bulkMessage(_ kind: StreamKind) -> ByteBuffer { kind.message(3, padding: 16 * 1024 - 200) }
    static let bulkCount = 2_560

    static func environment(_ upstreamPort: Int) -> [String: String] {
        ServeProcessTests.childEnvironment([
            "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1",
            "ARCHESTRA_OLLAMA_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1",
            "ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)",
            "ARCHESTRA_CHAT_OPENAI_API_KEY": secrets[0],
            "ARCHESTRA_CHAT_OLLAMA_API_KEY": secrets[1],
            "ARCHESTRA_CHAT_BEDROCK_API_KEY": secrets[2],
            "ARCHESTRA_MAX_STREAM_EVENT_BYTES": "65536",
            "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
        ])
    }

    @Test("each upstream fault ends in a clean client answer, the upstream connection closed, no descriptor held, no secret printed", arguments: StreamKind.allCases)
    func faults(kind: StreamKind) async throws {
        // A short read timeout, so that the stalls end quickly; not too short, as the stand-in
        // shares the test runner's two cores with every other suite.
        try await Self.run(Fault.allCases.filter { $0 != .clientStopsReading }, kind, environment: ["ARCHESTRA_UPSTREAM_READ_TIMEOUT_SECONDS": "5"])
    }

    /// Apart from the others: the upstream read timeout also bounds how long the proxy waits on
    /// a client that reads nothing (the upstream is not read meanwhile; AsyncHTTPClient's idle
    /// read timer runs on), so this cell keeps the default of 600 s.
    @Test("a client that stops reading holds the upstream back instead of the proxy buffering its stream", arguments: StreamKind.allCases)
    func clientStopsReading(kind: StreamKind) async throws {
        try await Self.run([.clientStopsReading], kind, environment: [:])
    }

    /// Runs `faults` in order through one `archestra serve` in front of one stand-in, checking
    /// after each that nothing is left open, and at the end what the process printed.
    static func run(_ faults: [Fault], _ kind: StreamKind, environment: [String: String]) async throws {
        try await ScriptedUpstream.run(script: { request in
            Fault(request: request).map { Self.script(kind, $0) } ?? [.reset]
        }) { upstream, upstreamPort in
            let environment = Self.environment(upstreamPort).merging(environment) { _, given in given }
            let run = try await runArchestra(["serve", "--log-level", "debug"], environment: environment) { control in
                let proxy = ProcessResources(pid: control.pid)
                // /healthz's connection closes in its own time.
                #expect(try await poll { try proxy.connectedSockets() == 0 })
                let baseline = try proxy.openDescriptors()
                let baselineTargets = proxy.descriptorTargets()
                for fault in faults {
                    try await withTestClient { client in
                        try await Self.check(fault, kind, client: client, proxyPort: control.port, upstream: upstream, proxy: proxy)
                    }
                    #expect(try await poll { upstream.openConnections == 0 }, "\(kind) × \(fault): the upstream connection is closed")
                    #expect(try await poll { try proxy.connectedSockets() == 0 }, "\(kind) × \(fault): the proxy holds no connection")
                    let descriptorsBack = try await poll { try proxy.openDescriptors() <= baseline }
                    #expect(descriptorsBack, "\(kind) × \(fault): descriptors back to \(baselineTargets), now \(proxy.descriptorTargets())")
                    #expect(control.isRunning(), "\(kind) × \(fault)")
                }
            }
            #expect(run.termination == .exited(0))
            for secret in Self.secrets { #expect(!run.output.contains(secret), "\(kind): a key in the output") }
            // Each request's log line, with the failure it ended in.
            let lines = run.output.split(separator: "\n").filter { $0.contains("\"proxied request\"") }
            #expect(lines.count == faults.count, "\(kind): one log line a request")
            for fault in faults {
                let line = lines.first { $0.contains("archestra.model=fault-\(fault.rawValue) ") }
                #expect(line != nil, "\(kind) × \(fault) is logged with its model")
                let code = line?.split(separator: " ").first { $0.hasPrefix("error.code=") }.map { String($0.dropFirst("error.code=".count)) }
                let expected = fault == .malformedFrame && kind.malformedMessageBreaksFraming ? "upstream_stream_failed" : fault.loggedErrorCode
                #expect(code == expected, "\(kind) × \(fault): \(line ?? "")")
            }
        }
    }

    /// The one fault that needs an upstream nobody listens on: the connection refused.
    @Test("an upstream that refuses the connection is a 502 in each route's shape, and nothing is held")
    func refusedConnection() async throws {
        // A port bound and never listened on, held for the whole test: connecting is refused,
        // and no other test's server can take the port meanwhile (a released one was taken by a
        // proxy starting in parallel, which answered 404).
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let run = try await runArchestra(["serve"], environment: Self.environment(refusing.port)) { control in
            let proxy = ProcessResources(pid: control.pid)
            for kind in StreamKind.allCases {
                try await withTestClient { client in
                    let request = openAIRequest("http://127.0.0.1:\(control.port)\(kind.path(.none))", json: kind.body(.none), key: nil)
                    let response = try await client.execute(request, timeout: .seconds(30))
                    let body = try await response.bodyText()
                    #expect(response.status == .badGateway, "\(kind)")
                    #expect(try kind.errorCode(response, body: body) == kind.code(.upstreamUnreachable), "\(kind): \(body)")
                }
            }
            #expect(try await poll { try proxy.connectedSockets() == 0 })
        }
        #expect(run.termination == .exited(0))
        for secret in Self.secrets { #expect(!run.output.contains(secret)) }
    }

    /// One cell of the matrix: the request, and what its client must see.
    static func check(_ fault: Fault, _ kind: StreamKind, client: HTTPClient, proxyPort: Int, upstream: ScriptedUpstream, proxy: ProcessResources) async throws {
        let writtenBefore = upstream.bytesWritten
        let request = openAIRequest("http://127.0.0.1:\(proxyPort)\(kind.path(fault))", json: kind.body(fault), key: nil)
        let response = try await client.execute(request, timeout: .seconds(120))
        let context = Comment(rawValue: "\(kind) × \(fault)")
        var goodBytes = kind.message(1)
        goodBytes.writeImmutableBuffer(kind.message(2))

        switch fault {
        case .resetBeforeHead, .stallBeforeHead:
            let body = try await response.bodyText()
            #expect(response.status.code == (fault == .stallBeforeHead ? 504 : 502), context)
            let expected = fault == .stallBeforeHead ? kind.code(.upstreamTimeout) : kind.code(.upstreamUnreachable)
            #expect(try kind.errorCode(response, body: body) == expected, "\(context): \(body)")
        case .rateLimited, .unavailable:
            let body = try await response.bodyText()
            #expect(response.status.code == (fault == .rateLimited ? 429 : 503), context)
            #expect(response.headers.first(name: "retry-after") == (fault == .rateLimited ? "7" : "3"), context)
            #expect(body.contains(fault == .rateLimited ? "Rate limit reached" : "Overloaded"), context)
        case .none, .http10WithoutLength, .endWithoutFinalMessage,
            .malformedFrame where !kind.malformedMessageBreaksFraming:
            // Relayed byte for byte, ending as the upstream ended: without the final message, or
            // with a message whose content does not parse, the SDK judges the stream as it would
            // have judged the upstream's.
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .ok, context)
            var expected = goodBytes
            switch fault {
            case .none, .http10WithoutLength: expected.writeImmutableBuffer(kind.finalMessage)
            case .malformedFrame: for part in [kind.malformedMessage, kind.message(3), kind.finalMessage] { expected.writeImmutableBuffer(part) }
            default: break
            }
            #expect(body == expected, "\(context): \(String(buffer: body))")
        case .resetMidStream, .stallMidStream, .malformedFrame, .oversizedFrame, .closeMidStream:
            var body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .ok, context)
            // A reset discards what the proxy's kernel received and the proxy had not read yet;
            // a close fails the upstream request in AsyncHTTPClient, which drops the body parts
            // it had read from the socket and not yet handed to the relay (its state machine
            // fails the request on `channelInactive`). After either, the client gets the whole
            // messages the relay had taken: two, one or none — under load, all three arrive with
            // the FIN in one socket read.
            let first = kind.message(1)
            let prefixes = [.resetMidStream, .closeMidStream].contains(fault) ? [goodBytes, first, ByteBuffer()] : [goodBytes]
            let prefix = prefixes.first { body.readableBytesView.starts(with: $0.readableBytesView) } ?? goodBytes
            let relayed = body.readSlice(length: min(prefix.readableBytes, body.readableBytes))
            #expect(relayed == prefix, "\(context): the frames before the fault, byte for byte")
            let message = try kind.inBandError(body)
            #expect(message?.contains(fault.inBandReason ?? "") == true, "\(context): then one in-band error saying \(fault.inBandReason ?? ""), got \(String(buffer: body))")
        case .clientStopsReading:
            try await Self.checkBackpressure(kind, response: response, upstream: upstream, writtenBefore: writtenBefore, proxy: proxy, context: context)
        case .clientLeavesMidStream:
            var iterator = response.body.makeAsyncIterator()
            var received = ByteBuffer()
            while received.readableBytes < goodBytes.readableBytes, var chunk = try await iterator.next() { received.writeBuffer(&chunk) }
            #expect(received == goodBytes, context)
            // Leaving: the client's connection closes with the client; the matrix then checks
            // that the proxy closed the upstream connection the stand-in holds open.
        }
    }

    /// A client that stops reading: the proxy stops reading the upstream once the buffers on the
    /// way are full (TCP backpressure), instead of buffering the stream; read again, the whole
    /// stream arrives intact.
    static func checkBackpressure(
        _ kind: StreamKind, response: HTTPClientResponse, upstream: ScriptedUpstream, writtenBefore: Int, proxy: ProcessResources, context: Comment
    ) async throws {
        let total = 2 * kind.message(1).readableBytes + Self.bulkCount * Self.bulkMessage(kind).readableBytes + kind.finalMessage.readableBytes
        var iterator = response.body.makeAsyncIterator()
        var received = try #require(try await iterator.next())
        let residentBefore = try proxy.residentBytes()
        // The stand-in writes until the way is full, then waits: its count stops moving (for
        // half a second) short of the whole stream.
        var last = -1
        var steady = 0
        let stalled = try await poll(attempts: 400, every: .milliseconds(50)) {
            let written = upstream.bytesWritten
            steady = written == last ? steady + 1 : 0
            last = written
            return steady >= 10
        }
        #expect(stalled, context)
        let writtenWhileStopped = upstream.bytesWritten - writtenBefore
        #expect(writtenWhileStopped < total - kind.finalMessage.readableBytes, "\(context): the upstream wrote its whole stream (\(writtenWhileStopped) bytes) to a client that reads nothing")
        let grown = try proxy.residentBytes() - residentBefore
        #expect(grown < 8 << 20, "\(context): the proxy's memory grew \(grown) bytes while the upstream wrote \(writtenWhileStopped)")
        // Reading again: every byte, in order, to the final message.
        while let chunk = try await iterator.next() { received.writeImmutableBuffer(chunk) }
        #expect(received.readableBytes == total, context)
        #expect(received.getSlice(at: received.writerIndex - kind.finalMessage.readableBytes, length: kind.finalMessage.readableBytes) == kind.finalMessage, context)
    }
}
