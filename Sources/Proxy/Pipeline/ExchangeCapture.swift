import AsyncHTTPClient
package import Foundation
import HTTPTypes
package import NIOCore
import NIOHTTP1
import Synchronization

/// One HTTP hop of a proxied exchange as it went over the wire: the client's request to the proxy
/// and the answer it got, or the proxy's request to the upstream and the upstream's answer.
///
/// Values are exactly what was sent, credentials included: a ``ExchangeCaptureSink`` must redact
/// before anything leaves memory.
package struct CapturedHop: Sendable {
    package var method: String
    /// Path and query as sent, e.g. `/v1/messages?beta=true`.
    package var target: String
    /// The authority the request went to, when known.
    package var host: String?
    /// `http` or `https`, for the upstream hop.
    package var scheme: String?
    package var requestHeaders: [(name: String, value: String)]
    /// The body bytes that went out (what the proxy read of the client's body, or what it sent upstream).
    package var requestBody: ByteBuffer
    /// `nil` when no response head came back.
    package var status: Int?
    package var responseHeaders: [(name: String, value: String)] = []
    /// The response body as it was written (client hop) or read (upstream hop), each piece with
    /// its time after the response head.
    package var responseChunks: [(offset: Duration, bytes: ByteBuffer)] = []
    /// When the request started.
    package var startedAt: Date
    /// From the request's start to the end of its response body; `nil` while the body is still open.
    package var duration: Duration?
    /// The provider the upstream hop went to (`anthropic`); `nil` for the client hop.
    package var providerID: String?

    package init(method: String, target: String, host: String? = nil, requestHeaders: [(name: String, value: String)], requestBody: ByteBuffer = ByteBuffer(), startedAt: Date = Date()) {
        self.method = method
        self.target = target
        self.host = host
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.startedAt = startedAt
    }
}

/// Both legs of one proxied request: the client's hop and every upstream call made for it (one,
/// or several for the model router's translated embeddings; none for a request the proxy
/// answered itself).
package struct CapturedExchange: Sendable {
    package var client: CapturedHop
    package var upstream: [CapturedHop]
}

/// Receives every proxied exchange, both legs, once the client's response has ended
/// (`archestra serve --record`). Installed through ``ProxyService/exchangeCaptureSink``; when none
/// is installed nothing is captured and the request path does no extra work.
///
/// Like ``RequestRecordSink``: called on the request's task, it must neither block nor suspend.
package protocol ExchangeCaptureSink: Sendable {
    func exchangeEnded(_ exchange: CapturedExchange)
}

/// The capture of one request in flight: the client hop the responder fills, and the upstream
/// hops ``UpstreamCallStep`` adds, found through the task-local ``current``.
package final class ExchangeCaptureSession: Sendable {
    /// The session of the request this task serves; `nil` when nothing is being captured.
    @TaskLocal package static var current: ExchangeCaptureSession?

    private struct State {
        var client: CapturedHop
        var upstream: [CapturedHop] = []
        var ended = false
    }

    private let state: Mutex<State>
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private let sink: any ExchangeCaptureSink

    package init(client: CapturedHop, sink: any ExchangeCaptureSink) {
        self.state = Mutex(State(client: client))
        self.started = self.clock.now
        self.sink = sink
    }

    // MARK: The client's hop

    /// The client's body as the pipeline reads it, copied into the capture on the way.
    package func capturingClientBody(_ body: RequestBodySource) -> RequestBodySource {
        switch body {
        case .collected(let buffer):
            self.state.withLock { $0.client.requestBody = buffer }
            return body
        case .streaming(let sequence, let declaredLength):
            return .streaming(
                Self.capturing(sequence) { [self] chunk in self.state.withLock { _ = $0.client.requestBody.writeImmutableBuffer(chunk) } },
                declaredLength: declaredLength)
        }
    }

    /// The pipeline's answer, unchanged for the client, its body copied into the capture; the
    /// exchange goes to the sink when the body has ended (or failed).
    package func capturing(_ response: ProxyResponse) -> ProxyResponse {
        let head = self.clock.now
        self.state.withLock { state in
            state.client.status = Int(response.status.code)
            state.client.responseHeaders = response.headers.map { (name: $0.name.rawName, value: $0.value) }
        }
        switch response.body.backing {
        case .buffer(let buffer):
            self.state.withLock { $0.client.responseChunks = [(.zero, buffer)] }
            self.end()
            return response
        case .stream(let contentLength, let cancelsOnClientDisconnect, let write):
            var captured = response
            captured.body = .stream(contentLength: contentLength, cancelsOnClientDisconnect: cancelsOnClientDisconnect) { [self] writer in
                var capturing: any ProxyBodyWriter = CapturingBodyWriter(base: writer) { chunk in
                    let offset = self.clock.now - head
                    self.state.withLock { $0.client.responseChunks.append((offset, chunk)) }
                }
                defer { self.end() }
                try await write(&capturing)
            }
            return captured
        }
    }

    /// Hands the exchange to the sink, once.
    private func end() {
        let elapsed = self.clock.now - self.started
        let exchange: CapturedExchange? = self.state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            state.client.duration = elapsed
            return CapturedExchange(client: state.client, upstream: state.upstream)
        }
        if let exchange { self.sink.exchangeEnded(exchange) }
    }

    // MARK: The upstream hops

    /// Notes an upstream call about to be sent; returns the request with a streaming body copied
    /// into the capture as it goes, and the hop's index for ``capturing(_:hop:)``.
    func beginUpstream(_ request: UpstreamRequest, providerID: String) -> (UpstreamRequest, Int) {
        let url = URL(string: request.url)
        var target = url.map { $0.path(percentEncoded: true) } ?? request.url
        if target.isEmpty { target = "/" }
        if let query = url?.query(percentEncoded: true) { target += "?\(query)" }
        var host = url?.host(percentEncoded: false)
        if let port = url?.port, let name = host { host = "\(name):\(port)" }
        var hop = CapturedHop(method: request.method.rawValue, target: target, host: host, requestHeaders: request.headers.map { (name: $0.name, value: $0.value) })
        hop.providerID = providerID
        hop.scheme = url?.scheme
        let index = self.state.withLock { state in
            state.upstream.append(hop)
            return state.upstream.count - 1
        }
        var request = request
        switch request.body {
        case .collected(let buffer)?:
            self.state.withLock { $0.upstream[index].requestBody = buffer }
        case .streaming(let sequence, let declaredLength)?:
            request.body = .streaming(
                Self.capturing(sequence) { [self] chunk in self.state.withLock { _ = $0.upstream[index].requestBody.writeImmutableBuffer(chunk) } },
                declaredLength: declaredLength)
        case nil:
            break
        }
        return (request, index)
    }

    /// The upstream's answer with its body copied into hop `index` as the relay reads it.
    /// `sent`: when the request went out, for the hop's duration.
    func capturing(_ response: HTTPClientResponse, hop index: Int, sent: ContinuousClock.Instant) -> HTTPClientResponse {
        let head = self.clock.now
        self.state.withLock { state in
            state.upstream[index].status = Int(response.status.code)
            state.upstream[index].responseHeaders = response.headers.map { (name: $0.name, value: $0.value) }
        }
        var response = response
        let body = CapturingByteSequence(base: response.body) { [self] chunk in
            let offset = self.clock.now - head
            self.state.withLock { $0.upstream[index].responseChunks.append((offset, chunk)) }
        } onEnd: { [self] in
            let duration = self.clock.now - sent
            self.state.withLock { $0.upstream[index].duration = duration }
        }
        response.body = .stream(body)
        return response
    }

    private static func capturing(
        _ sequence: some AsyncSequence<ByteBuffer, any Error> & Sendable, onChunk: @escaping @Sendable (ByteBuffer) -> Void
    ) -> any AsyncSequence<ByteBuffer, any Error> & Sendable {
        CapturingByteSequence(base: sequence, onChunk: onChunk)
    }
}

/// Passes a byte sequence through unchanged, showing each chunk to `onChunk` (and the end to
/// `onEnd`) as it is read.
struct CapturingByteSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    typealias Failure = any Error
    let base: Base
    let onChunk: @Sendable (ByteBuffer) -> Void
    let onEnd: @Sendable () -> Void

    init(base: Base, onChunk: @escaping @Sendable (ByteBuffer) -> Void, onEnd: @escaping @Sendable () -> Void = {}) {
        self.base = base
        self.onChunk = onChunk
        self.onEnd = onEnd
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let onChunk: @Sendable (ByteBuffer) -> Void
        let onEnd: @Sendable () -> Void

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await self.base.next() else {
                self.onEnd()
                return nil
            }
            self.onChunk(chunk)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.base.makeAsyncIterator(), onChunk: self.onChunk, onEnd: self.onEnd)
    }
}

/// A body writer that shows every write to `onWrite` before passing it on.
struct CapturingBodyWriter: ProxyBodyWriter {
    var base: any ProxyBodyWriter
    let onWrite: @Sendable (ByteBuffer) -> Void

    mutating func write(_ buffer: ByteBuffer) async throws {
        self.onWrite(buffer)
        try await self.base.write(buffer)
    }

    mutating func finish() async throws {
        try await self.base.finish()
    }

    var isCutByShutdown: Bool { self.base.isCutByShutdown }
}
