import NIOCore
import NIOHTTP1

/// Closes a client connection that keeps it without using it: idle between requests longer than
/// `idle`, a head not complete `header` after its first byte, or a body silent for `body`.
///
/// Hummingbird's own `idleTimeout` is one number for all three and cannot tell an idle
/// connection from one trickling a header, so the proxy tracks the phase itself: one handler at
/// the front of the pipeline reports raw bytes (the only sign that a head has begun), one just
/// behind NIO's HTTP/1 decoder reports request and response parts. Both run on the channel's
/// event loop and share this timer, so it needs no locking.
///
/// While the proxy is answering (request received, response not finished) no timeout applies:
/// the upstream's read timeout and the request duration bound that time.
final class ClientConnectionTimer {
    private enum RequestPhase {
        /// Between requests (or before the first).
        case idle
        /// Some bytes of a head have arrived, not yet a complete head.
        case head
        /// Head received, body not finished.
        case body
        /// The whole request has arrived.
        case complete
    }

    private let timeouts: ClientTimeouts
    private var phase = RequestPhase.idle
    private var responsePending = false
    /// Bytes of the next request that arrived while the current one was being answered.
    private var pipelinedBytes = false
    private var scheduled: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeouts: ClientTimeouts) {
        self.timeouts = timeouts
    }

    func start(context: ChannelHandlerContext) {
        self.context = context
        self.schedule(self.timeouts.idle)
    }

    func stop() {
        self.scheduled?.cancel()
        self.scheduled = nil
        self.context = nil
    }

    func bytesArrived() {
        switch self.phase {
        case .idle:
            self.phase = .head
            self.schedule(self.timeouts.header)
        case .body:
            self.schedule(self.timeouts.body)
        case .head:
            break  // the header deadline runs from the first byte, as nginx's client_header_timeout
        case .complete:
            self.pipelinedBytes = true
        }
    }

    func requestHeadReceived() {
        self.phase = .body
        self.responsePending = true
        self.pipelinedBytes = false
        self.schedule(self.timeouts.body)
    }

    func requestEndReceived() {
        self.phase = .complete
        if self.responsePending {
            self.cancel()
        } else {
            self.becomeIdle()
        }
    }

    func responseEndSent() {
        self.responsePending = false
        switch self.phase {
        case .complete:
            self.becomeIdle()
        case .body, .head, .idle:
            break  // still receiving a body the answer did not need; its timer keeps running
        }
    }

    private func becomeIdle() {
        if self.pipelinedBytes {
            self.phase = .head
            self.schedule(self.timeouts.header)
        } else {
            self.phase = .idle
            self.schedule(self.timeouts.idle)
        }
    }

    private func cancel() {
        self.scheduled?.cancel()
        self.scheduled = nil
    }

    private func schedule(_ timeout: Duration) {
        self.cancel()
        guard let context = self.context else { return }
        let loop = context.eventLoop.assumeIsolated()
        self.scheduled = loop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)) {
            self.scheduled = nil
            // Closing is the answer: a client that has not sent its request in time is not
            // reading either, and a half-received body has no response to wait for.
            context.close(promise: nil)
        }
    }
}

/// Reports every read to the timer; first in the pipeline, so it sees bytes before any parsing.
final class ClientBytesObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timer: ClientConnectionTimer

    init(timer: ClientConnectionTimer) {
        self.timer = timer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timer.start(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer.stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.timer.bytesArrived()
        context.fireChannelRead(data)
    }
}

/// Reports request and response boundaries to the timer; sits right behind NIO's HTTP/1 decoder.
final class ClientRequestPhaseObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let timer: ClientConnectionTimer

    init(timer: ClientConnectionTimer) {
        self.timer = timer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head: self.timer.requestHeadReceived()
        case .body: break  // the raw bytes already reset the body timer
        case .end: self.timer.requestEndReceived()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data) { self.timer.responseEndSent() }
        context.write(data, promise: promise)
    }
}
