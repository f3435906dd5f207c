import AsyncHTTPClient
import NIOCore
import WireFormats

/// What a relay counted, kept even when it ends early, for the request log.
struct RelayTally: Sendable {
    var bytesWritten = 0
    var usage = TokenUsage()
    /// When the first whole message went to the client.
    var firstMessageAt: ContinuousClock.Instant?
    /// The interaction log's copy of what was written; `nil` (nothing copied) unless it logs bodies.
    var responseCapture: BodyCapture?
    /// Tool calls a ``StreamMessageFilter`` removed under the tool policies.
    var blockedToolCalls: [String] = []
    /// The failure the stream ended with, reported to the client in band after its status line
    /// (200) had gone out: the request log names it, or a failed stream would pass for a good one.
    var inBandFailure: ProxyError?
}

extension RelayTally {
    /// The log's code for a relay that ended by throwing: the client left — its departure
    /// cancelled the relay, or a write to its closed channel failed first (which comes first is a
    /// race on a loaded machine) — or else the relay failed. (A socket error may be the
    /// upstream's, so only the closed channel counts.)
    static func failureCode(for error: any Error) -> String {
        error is CancellationError || error is ChannelError ? "client_disconnected" : "relay_failed"
    }
}

extension RequestLogRecord {
    mutating func add(_ tally: RelayTally) {
        self.responseBytes += tally.bytesWritten
        self.usage.merge(tally.usage)
        if let first = tally.firstMessageAt { self.firstMessageLatency = first - self.start }
        if let capture = tally.responseCapture { self.capturedBodies?.response = capture }
        if !tally.blockedToolCalls.isEmpty { self.blockedToolCalls = tally.blockedToolCalls }
        if let failure = tally.inBandFailure { self.errorCode = failure.code.rawValue }
    }

    /// Notes the first message written to the client, once.
    mutating func noteMessageWritten() {
        if self.firstMessageLatency == nil { self.firstMessageLatency = self.elapsed }
    }
}

/// Writes an upstream response body to the client as it arrives.
///
/// Message streams (``StreamFraming``: server-sent events, JSON lines, AWS event stream) are relayed whole messages
/// at a time: bytes exactly as the upstream sent them, every message completed by an upstream
/// chunk written at once, and never half a message, so that an upstream failure can still be
/// reported as a well-formed in-band error of the client's dialect. Any other body is relayed
/// chunk by chunk.
struct ResponseRelay: Sendable {
    /// Renders a mid-stream failure as the in-band error the client's SDK raises.
    let clientDialect: any ProviderDialect
    /// Knows where the upstream's answer reports token usage.
    let upstreamDialect: any ProviderDialect
    let providerID: String
    let maximumEventBytes: Int
    /// Drop the usage-only chunk the proxy asked for (``StreamUsageOption``), after reading its usage.
    var dropsAddedUsageChunk = false

    /// Relays a message stream, counting what it writes and the usage it sees into `tally`.
    ///
    /// A failure reading the upstream becomes the dialect's stream error event followed by the end
    /// of the stream. A failure writing to the client (it went away) or cancellation is rethrown:
    /// there is nobody left to tell, and unwinding drops the upstream body, which cancels the
    /// upstream request.
    ///
    /// With a `filter` (a step's, ``StreamMessageFilter``), every message goes through it and
    /// what it returns is written instead; with `keepAlive` too, an SSE stream gets a
    /// `: keep-alive` comment every interval while the filter holds messages back.
    func relayMessages(
        from upstream: HTTPClientResponse.Body,
        framing: StreamFraming,
        to writer: inout any ProxyBodyWriter,
        tally: inout RelayTally,
        filter: (any StreamMessageFilter)? = nil,
        keepAlive: Duration? = nil
    ) async throws {
        var framer = framing.makeFramer()
        var pending = ByteBuffer()
        var filter = filter
        var chunks = UpstreamChunks(upstream, keepAlive: framing == .serverSentEvents && filter != nil ? keepAlive : nil)
        defer { chunks.cancel() }
        var upstreamFailure: (any Error)?
        while true {
            let input: UpstreamChunks.Input?
            do {
                input = try await chunks.next()
            } catch {
                upstreamFailure = error
                break
            }
            guard let input else { break }
            guard case .chunk(var chunk) = input else {
                if filter?.isHolding == true {
                    let comment = ByteBuffer(string: ": keep-alive\n\n")
                    tally.bytesWritten += comment.readableBytes
                    try await writer.write(comment)
                }
                continue
            }
            if pending.readableBytes == 0 {
                pending = chunk
            } else {
                pending.writeBuffer(&chunk)
            }
            // Every event completed by this chunk goes out in one write: the events are
            // consecutive slices of `pending`, so together they are one slice, never copied.
            var firstEventStart = pending.readerIndex
            // A framer that rejects the bytes (a bad event-stream CRC), like a message past the
            // limit, leaves the reader index at the start of the bad message: what came before it
            // is still relayed.
            var framingFailure: (any Error)?
            var filtered: [ByteBuffer] = []
            do {
                var messageStart = pending.readerIndex
                while let message = try framer.decode(buffer: &pending) {
                    // A whole message past the limit is refused as one still arriving would be:
                    // whether it fits must not depend on how the upstream's chunks fell.
                    guard message.readableBytes <= self.maximumEventBytes else {
                        pending.moveReaderIndex(to: messageStart)
                        throw NIOTooManyBytesError(maxBytes: self.maximumEventBytes)
                    }
                    // Each message is looked at once, on its own: the cost per event never grows
                    // with the length of the stream.
                    if let found = self.upstreamDialect.usage(inStreamMessage: message) { tally.usage.merge(found) }
                    // The usage-only chunk the proxy asked for (``StreamUsageOption``) is read, never relayed.
                    let isAddedUsage = self.dropsAddedUsageChunk && StreamUsageOption.isAddedUsageChunk(message)
                    if filter != nil {
                        if !isAddedUsage { filter?.filter(message, into: &filtered) }
                    } else if isAddedUsage {
                        // Written around: the events before it now, those after it with the rest.
                        if let before = pending.getSlice(at: firstEventStart, length: messageStart - firstEventStart), before.readableBytes > 0 {
                            tally.bytesWritten += before.readableBytes
                            if tally.firstMessageAt == nil { tally.firstMessageAt = .now }
                            tally.responseCapture?.append(before)
                            try await writer.write(before)
                        }
                        firstEventStart = pending.readerIndex
                    }
                    messageStart = pending.readerIndex
                }
            } catch {
                framingFailure = error
            }
            let completeBytes = pending.readerIndex - firstEventStart
            if filter != nil {
                try await Self.write(filtered, to: &writer, tally: &tally)
            } else if completeBytes > 0 {
                pending.moveReaderIndex(to: firstEventStart)
                if let events = pending.readSlice(length: completeBytes) {
                    tally.bytesWritten += completeBytes
                    if tally.firstMessageAt == nil { tally.firstMessageAt = .now }
                    tally.responseCapture?.append(events)
                    try await writer.write(events)
                }
            }
            if let framingFailure {
                upstreamFailure = framingFailure
                break
            }
            if pending.readableBytes > self.maximumEventBytes {
                upstreamFailure = NIOTooManyBytesError(maxBytes: self.maximumEventBytes)
                break
            }
            pending.discardReadBytes()
        }
        var trailing: ByteBuffer?
        if upstreamFailure == nil {
            do {
                trailing = try framer.decodeLast(buffer: &pending, seenEOF: true)
            } catch {
                upstreamFailure = error  // ended inside a message (event-stream): reported in-band
            }
        }
        if let upstreamFailure {
            // Cancelled because the client left: nobody to tell. Cancelled by the shutdown's
            // cutoff: the client is told, in band (ShutdownCutoff).
            let cutByShutdown = writer.isCutByShutdown
            if !cutByShutdown, Task.isCancelled || upstreamFailure is CancellationError { throw CancellationError() }
            // Bytes of an unfinished event are dropped: half an event followed by an error
            // event would corrupt both for the client's parser.
            let error = cutByShutdown ? ProxyError.shuttingDown : ProxyError.upstreamStreamFailed(provider: self.providerID, reason: Self.reason(upstreamFailure))
            guard let errorMessage = self.clientDialect.streamErrorMessage(for: error, framing: framing) else {
                throw upstreamFailure  // the dialect has no in-band error: closing is the signal
            }
            tally.bytesWritten += errorMessage.readableBytes
            tally.responseCapture?.append(errorMessage)
            tally.inBandFailure = error
            try await writer.write(errorMessage)
        } else {
            if let trailing {
                // The upstream ended without a final blank line: what it sent is still relayed.
                if let found = self.upstreamDialect.usage(inStreamMessage: trailing) { tally.usage.merge(found) }
                if filter == nil {
                    tally.bytesWritten += trailing.readableBytes
                    tally.responseCapture?.append(trailing)
                    try await writer.write(trailing)
                }
            }
            if filter != nil {
                var rest: [ByteBuffer] = []
                if let trailing { filter?.filter(trailing, into: &rest) }
                filter?.finish(into: &rest, tally: &tally)
                try await Self.write(rest, to: &writer, tally: &tally)
            }
        }
        try await writer.finish()
    }

    /// Writes a filter's messages as one buffer.
    private static func write(_ messages: [ByteBuffer], to writer: inout any ProxyBodyWriter, tally: inout RelayTally) async throws {
        guard !messages.isEmpty else { return }
        var joined = ByteBuffer()
        joined.reserveCapacity(messages.reduce(0) { $0 + $1.readableBytes })
        for var message in messages { joined.writeBuffer(&message) }
        tally.bytesWritten += joined.readableBytes
        if tally.firstMessageAt == nil { tally.firstMessageAt = .now }
        tally.responseCapture?.append(joined)
        try await writer.write(joined)
    }

    /// Relays any other body chunk by chunk. An upstream failure mid-body is rethrown, which
    /// closes the client connection: without framing there is no in-band way to report it.
    ///
    /// Usage is read once, at the end, from the body's last ``usageWindowBytes`` bytes: the dialects
    /// put usage at the end of a document (and of a streamed JSON array, in its last element), so
    /// a bounded tail suffices and memory does not grow with the body.
    func relayChunks(
        from upstream: HTTPClientResponse.Body,
        to writer: inout any ProxyBodyWriter,
        tally: inout RelayTally
    ) async throws {
        var tail = ByteBuffer()
        for try await chunk in upstream {
            tally.bytesWritten += chunk.readableBytes
            Self.keepTail(of: chunk, in: &tail)
            tally.responseCapture?.append(chunk)
            try await writer.write(chunk)
        }
        if let found = self.upstreamDialect.usage(inResponseBody: tail) { tally.usage.merge(found) }
        try await writer.finish()
    }

    /// How much of a non-stream body's end is kept for reading usage.
    static let usageWindowBytes = 64 * 1024

    private static func keepTail(of chunk: ByteBuffer, in tail: inout ByteBuffer) {
        if chunk.readableBytes >= Self.usageWindowBytes {
            tail = chunk.getSlice(at: chunk.writerIndex - Self.usageWindowBytes, length: Self.usageWindowBytes) ?? chunk
            return
        }
        var chunk = chunk
        tail.writeBuffer(&chunk)
        let excess = tail.readableBytes - Self.usageWindowBytes
        if excess > 0 {
            tail.moveReaderIndex(forwardBy: excess)
            // Compact only once a whole window has been dropped, so the copying stays
            // proportional to the bytes relayed rather than a window per chunk.
            if tail.readerIndex >= Self.usageWindowBytes { tail.discardReadBytes() }
        }
    }

    /// The upstream body's chunks, with `.tick`s every `keepAlive` interval when one is given
    /// (a pump task then reads the body, so that the relay can wake for either). The pump does
    /// not wait for the client: what it reads ahead is buffered, as held messages are anyway.
    struct UpstreamChunks {
        enum Input: Sendable {
            case chunk(ByteBuffer)
            case tick
        }

        private var direct: HTTPClientResponse.Body.AsyncIterator?
        private var merged: AsyncThrowingStream<Input, any Error>.AsyncIterator?
        private var tasks: [Task<Void, Never>] = []

        init(_ body: HTTPClientResponse.Body, keepAlive: Duration?) {
            guard let keepAlive else {
                self.direct = body.makeAsyncIterator()
                return
            }
            let (stream, continuation) = AsyncThrowingStream<Input, any Error>.makeStream()
            self.merged = stream.makeAsyncIterator()
            self.tasks.append(Task {
                do {
                    for try await chunk in body { continuation.yield(.chunk(chunk)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            })
            self.tasks.append(Task {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: keepAlive) } catch { return }
                    continuation.yield(.tick)
                }
            })
        }

        mutating func next() async throws -> Input? {
            if self.direct != nil { return try await self.direct?.next().map(Input.chunk) }
            let input = try await self.merged?.next()
            // The merged stream ends quietly when the relay is cancelled (the client left):
            // that is not the upstream's end.
            if input == nil, Task.isCancelled { throw CancellationError() }
            return input
        }

        /// Stops the pump and the ticker (the relay is done, or the client left).
        func cancel() {
            for task in self.tasks { task.cancel() }
        }
    }

    private static func reason(_ error: any Error) -> String {
        if error is NIOTooManyBytesError { return "an event exceeded the proxy's size limit" }
        if error is AWSEventStreamError { return "malformed event-stream message" }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout: return "read timeout"
            case .deadlineExceeded: return "request deadline exceeded"
            case .remoteConnectionClosed: return "connection closed by upstream"
            default: return "HTTP client error"
            }
        }
        return "connection to upstream lost"
    }
}
