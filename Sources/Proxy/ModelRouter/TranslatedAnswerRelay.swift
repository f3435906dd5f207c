import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RouterTranslation
import WireFormats

/// The model router's relay for a translated target: the upstream's answer, in its own dialect,
/// becomes the OpenAI answer the client asked for (chat or Responses) — whole, streamed event by
/// event as it arrives, or as an OpenAI error with the upstream's status kept.
struct TranslatedAnswerRelay: Sendable {
    let translator: any ChatTranslator
    let chatRequest: ChatCompletionRequest
    let format: RouterAnswerFormat
    /// Reported in `x-archestra-dropped-content`.
    let dropped: [DroppedContent]
    let maximumEventBytes: Int
    /// While the tool policies hold the answer's tool calls, a `: keep-alive` comment this often.
    let keepAliveInterval: Duration
    let log: LogRequestStep

    /// Largest whole answer or error body read from the upstream.
    static let wholeBodyLimit = 64 * 1024 * 1024

    func respond(with upstream: HTTPClientResponse, exchange: ProxyExchange, logger: Logger) async -> ProxyResponse {
        var record = exchange.record
        var headers = RouterResponseHeaders.kept(from: upstream.headers)
        if let dropped = DroppedContent.headerValue(for: self.dropped) { headers[RouterResponseHeaders.droppedContent] = dropped }
        let status = Int(upstream.status.code)
        guard (200..<300).contains(status) else {
            let body = (try? await upstream.body.collect(upTo: 1024 * 1024)) ?? ByteBuffer()
            record.capturedBodies?.response.append(body)
            let error = self.translator.openAIError(fromUpstreamBody: Data(buffer: body), status: status)
            RouterResponseHeaders.addRetryAfter(from: Data(buffer: body), target: exchange.provider.declaration.modelRouter, to: &headers)
            record.errorCode = "upstream_error"
            return self.json(error.data, status: status, headers: headers, record: &record, logger: logger)
        }
        guard self.chatRequest.isStreaming else {
            do {
                var body = try await upstream.body.collect(upTo: Self.wholeBodyLimit)
                // The tool policies judge the target's own answer; its refusal is then translated
                // like any answer (its stop reason becomes `stop`).
                if let policy = exchange.toolPolicy, let (refused, blocked) = policy.refuse(answer: body) {
                    body = refused
                    record.blockedToolCalls = blocked
                }
                record.capturedBodies?.response.append(body)
                let completion = try self.translator.chatCompletion(fromUpstreamBody: Data(buffer: body), for: self.chatRequest)
                record.usage.merge(TokenUsage(completion.usage))
                return self.json(try self.format.body(for: completion), status: 200, headers: headers, record: &record, logger: logger)
            } catch let error as TranslationError {
                record.errorCode = "translation_failed"
                return self.json(error.openAIError.data, status: error.status, headers: headers, record: &record, logger: logger)
            } catch {
                let failure = ProxyError.upstreamStreamFailed(provider: exchange.provider.declaration.id, reason: "the answer could not be read")
                record.errorCode = failure.code.rawValue
                return self.json(Data(buffer: OpenAIDialect().errorBody(for: failure)), status: Int(failure.status.code), headers: headers, record: &record, logger: logger)
            }
        }
        guard let framing = StreamFraming(contentType: upstream.headers.first(name: "content-type")),
            upstream.headers.first(name: "content-encoding").map({ $0.lowercased() == "identity" }) ?? true
        else {
            let error = TranslationError.malformedUpstream("a stream was asked for, the upstream answered \(upstream.headers.first(name: "content-type") ?? "without a content type")")
            record.errorCode = "translation_failed"
            return self.json(error.openAIError.data, status: error.status, headers: headers, record: &record, logger: logger)
        }
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        let relay = self
        let started = record
        return ProxyResponse(status: .ok, headers: headers, body: .stream(contentLength: nil, cancelsOnClientDisconnect: true) { writer in
            var record = started
            do {
                try await relay.relayStream(upstream.body, framing: framing, to: &writer, record: &record, filter: exchange.toolPolicy?.streamFilter())
                relay.log.log(record, to: logger)
            } catch {
                record.errorCode = RelayTally.failureCode(for: error)
                relay.log.log(record, to: logger)
                throw error
            }
        })
    }

    /// Reads upstream messages as they arrive and writes each one's translation at once. A
    /// `filter` (the tool-call gate) sees the target's own messages before they are translated.
    private func relayStream(
        _ body: HTTPClientResponse.Body, framing: StreamFraming, to writer: inout any ProxyBodyWriter, record: inout RequestLogRecord,
        filter: (any StreamMessageFilter)? = nil
    ) async throws {
        var filter = filter
        var framer = framing.makeFramer()
        var stream = self.translator.makeStreamTranslator(for: self.chatRequest)
        var encoder = self.format.makeStreamEncoder()
        var pending = ByteBuffer()
        // The client's stream is SSE whatever the target's framing (Bedrock's event stream
        // included), so a held answer can always carry keep-alive comments.
        var chunks = ResponseRelay.UpstreamChunks(body, keepAlive: filter != nil ? self.keepAliveInterval : nil)
        defer { chunks.cancel() }
        func write(_ buffer: ByteBuffer, _ writer: inout any ProxyBodyWriter) async throws {
            guard buffer.readableBytes > 0 else { return }
            record.responseBytes += buffer.readableBytes
            record.noteMessageWritten()
            try await writer.write(buffer)
        }
        func translated(_ message: ByteBuffer, _ stream: inout any ChatStreamTranslator) throws(TranslationError) -> [ChatCompletionChunk] {
            guard let upstreamMessage = try Self.upstreamMessage(message, framing: framing) else { return [] }
            let chunks = try stream.translate(upstreamMessage)
            for chunk in chunks where chunk.usage != nil { record.usage.merge(TokenUsage(chunk.usage)) }
            return chunks
        }
        do {
            while true {
                let next: ResponseRelay.UpstreamChunks.Input?
                do {
                    next = try await chunks.next()
                } catch {
                    if writer.isCutByShutdown {
                        // The shutdown's cutoff (ShutdownCutoff): the client is told, in band.
                        let failure = ProxyError.shuttingDown
                        throw TranslationError.upstream(OpenAIDialect().openAIError(for: failure), status: Int(failure.status.code))
                    }
                    if Task.isCancelled || error is CancellationError { throw CancellationError() }
                    throw TranslationError.upstream(
                        OpenAIErrorBody(message: "The upstream stream failed: \(Self.reason(error)).", type: "upstream_error", code: "upstream_stream_failed"),
                        status: 502)
                }
                guard let next else { break }
                guard case .chunk(var chunk) = next else {
                    if filter?.isHolding == true {
                        // Not a message: no first-message time, no translation.
                        let comment = ByteBuffer(string: ": keep-alive\n\n")
                        record.responseBytes += comment.readableBytes
                        try await writer.write(comment)
                    }
                    continue
                }
                record.capturedBodies?.response.append(chunk)  // the native answer, for the interaction log
                pending.writeBuffer(&chunk)
                var out = ByteBuffer()
                do {
                    while let message = try framer.decode(buffer: &pending) {
                        // Whole or still arriving, a message past the limit is refused alike.
                        guard message.readableBytes <= self.maximumEventBytes else {
                            throw TranslationError.malformedUpstream("an event exceeded the proxy's size limit")
                        }
                        var passed = [message]
                        if filter != nil {
                            passed = []
                            filter?.filter(message, into: &passed)
                        }
                        for message in passed {
                            var frames = try encoder.frames(for: try translated(message, &stream))
                            out.writeBuffer(&frames)
                        }
                    }
                } catch let error as TranslationError {
                    throw error
                } catch {
                    throw TranslationError.malformedUpstream("the stream's framing is broken (\(framing))")
                }
                try await write(out, &writer)
                guard pending.readableBytes <= self.maximumEventBytes else {
                    throw TranslationError.malformedUpstream("an event exceeded the proxy's size limit")
                }
                pending.discardReadBytes()
            }
            var out = ByteBuffer()
            var remaining: [ByteBuffer] = []
            if let last = try? framer.decodeLast(buffer: &pending, seenEOF: true) {
                if filter != nil { filter?.filter(last, into: &remaining) } else { remaining.append(last) }
            }
            if filter != nil {
                var tally = RelayTally()
                filter?.finish(into: &remaining, tally: &tally)
                if !tally.blockedToolCalls.isEmpty { record.blockedToolCalls = tally.blockedToolCalls }
            }
            for message in remaining {
                var frames = try encoder.frames(for: try translated(message, &stream))
                out.writeBuffer(&frames)
            }
            var closing = try encoder.frames(for: try stream.finish())
            out.writeBuffer(&closing)
            var end = try encoder.end()
            out.writeBuffer(&end)
            try await write(out, &writer)
        } catch let error as TranslationError {
            // The error's own code where it has one (`proxy_shutting_down`), as the client reads it.
            record.errorCode = error.openAIError.code ?? "upstream_stream_failed"
            try await write(encoder.failure(error.openAIError), &writer)
        }
        try await writer.finish()
    }

    /// One framed upstream message as the translators take it: an SSE event's name and data, or
    /// an event-stream message's event (or exception) type and payload. `nil` for SSE comments.
    static func upstreamMessage(_ message: ByteBuffer, framing: StreamFraming) throws(TranslationError) -> UpstreamStreamMessage? {
        switch framing {
        case .serverSentEvents:
            let event = SSEEvent(parsing: message)
            if event.isCommentOnly { return nil }
            return UpstreamStreamMessage(event: event.event, data: Data(event.data.utf8))
        case .jsonLines:
            var line = message
            while line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "\n") {
                line.moveWriterIndex(to: line.writerIndex - 1)
            }
            return line.readableBytes == 0 ? nil : UpstreamStreamMessage(event: nil, data: Data(buffer: line))
        case .awsEventStream:
            let decoded: AWSEventStreamMessage
            do {
                decoded = try AWSEventStreamMessage(decoding: message)
            } catch {
                throw .malformedUpstream("an event-stream message could not be decoded")
            }
            return UpstreamStreamMessage(event: decoded.eventType, data: Data(buffer: decoded.payload))
        }
    }

    private func json(_ body: Data, status: Int, headers: HTTPFields, record: inout RequestLogRecord, logger: Logger) -> ProxyResponse {
        Self.json(body, status: status, headers: headers, record: &record, log: self.log, logger: logger)
    }

    /// A whole JSON answer of the router (translated answer, embeddings, upstream error), logged.
    static func json(_ body: Data, status: Int, headers: HTTPFields, record: inout RequestLogRecord, log: LogRequestStep, logger: Logger) -> ProxyResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        record.status = status
        record.responseBytes = body.count
        log.log(record, to: logger)
        return ProxyResponse(status: HTTPResponse.Status(code: status), headers: headers, body: .buffer(ByteBuffer(data: body)))
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .readTimeout { return "read timeout" }
        return "connection to upstream lost"
    }
}

/// Which upstream response headers reach a router client whose answer was translated: rate
/// limits and retry hints (a client backs off on them), request ids (support tickets). Content
/// headers describe the upstream's body, not ours, and are not kept.
enum RouterResponseHeaders {
    static let droppedContent = HTTPField.Name("x-archestra-dropped-content")!

    /// OpenAI clients back off on `retry-after`; a target that states the wait only in its error
    /// body (its declaration's ``ModelRouterTarget/retryAfterInErrorBody``) gets one made.
    static func addRetryAfter(from body: Data, target: ModelRouterTarget, to headers: inout HTTPFields) {
        guard headers[.retryAfter] == nil, let seconds = target.retryAfterInErrorBody?(body) else { return }
        headers[.retryAfter] = String(seconds)
    }

    static func kept(from headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            let lowered = name.lowercased()
            let keep =
                lowered == "retry-after" || lowered == "retry-after-ms" || lowered.hasPrefix("x-ratelimit-")
                || lowered.hasPrefix("anthropic-ratelimit-") || lowered == "request-id" || lowered == "x-request-id"
                || lowered == "x-amzn-requestid"
            if keep, let field = HTTPField.Name(lowered) { fields.append(HTTPField(name: field, value: value)) }
        }
        return fields
    }
}

extension TokenUsage {
    /// The translated answer's OpenAI usage: prompt tokens include cached ones, completion tokens
    /// include reasoning, as in the native OpenAI reader. (OpenAI's shape has no cache writes, so an
    /// Anthropic or Bedrock cache write reached through the router counts as uncached input.)
    init(_ usage: Usage?) {
        self.init(
            inputTokens: usage?.promptTokens,
            outputTokens: usage?.completionTokens,
            cacheReadTokens: usage?.promptTokensDetails?.cachedTokens,
            reasoningTokens: usage?.completionTokensDetails?.reasoningTokens
        )
    }
}
