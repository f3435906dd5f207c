import NIOCore
import NIOHTTP1

/// Answers each request in its own HTTP version's framing, and closes the connection after a
/// response when the request asked for that (RFC 9112 §9.3, §9.6).
///
/// Hummingbird works in HTTPTypes, which carry no version: every response left as HTTP/1.1, so an
/// HTTP/1.0 client got a chunked stream (chunked coding does not exist in 1.0) and a connection
/// left open after a response it could only delimit by the close; and only a request header of
/// exactly `connection: close` closed the connection (not `Close`, nor `keep-alive, close`). This
/// handler sits right behind the request decoder, where the version is still known:
///
/// - an HTTP/1.0 request gets an HTTP/1.0 response: with no `content-length` (a stream) NIO's
///   encoder then writes the body as it comes, delimited by the close;
/// - the connection stays open only when the request asked for it (`isKeepAlive`: 1.1 unless
///   `close`, 1.0 only with `keep-alive`) and the response can be delimited without the close;
///   the response then says `connection: keep-alive` to a 1.0 client, and `connection: close`
///   otherwise, and the channel is closed once its last byte is written.
///
/// Requests can be pipelined: heads are queued in arrival order, and responses go out in the
/// same order (NIO's `HTTPServerPipelineHandler` holds the next request until then).
final class ConnectionPersistenceHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct PendingRequest {
        var version: HTTPVersion
        var keepAlive: Bool
    }

    private var pending: [PendingRequest] = []
    private var closeAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = self.unwrapInboundIn(data) {
            self.pending.append(PendingRequest(version: head.version, keepAlive: head.isKeepAlive))
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var head):
            // Informational responses (100-continue) are not the answer; the request stays pending.
            guard head.status.code >= 200, let request = self.pending.first else {
                context.write(data, promise: promise)
                return
            }
            let delimited = head.headers.contains(name: "content-length") || !Self.hasBody(head.status)
            let keepAlive = request.keepAlive && (delimited || request.version.minor >= 1)
            self.closeAfterResponse = !keepAlive
            if request.version.major == 1 && request.version.minor == 0 {
                head.version = .http1_0
                head.headers.replaceOrAdd(name: "connection", value: keepAlive ? "keep-alive" : "close")
            } else if !keepAlive {
                head.headers.replaceOrAdd(name: "connection", value: "close")
            }
            context.write(self.wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if !self.pending.isEmpty { self.pending.removeFirst() }
            guard self.closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            self.closeAfterResponse = false
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            written.futureResult.hop(to: context.eventLoop).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    /// 1xx, 204 and 304 answers have no body (RFC 9110 §6.4.1); HEAD is answered with a
    /// `content-length` by the responders that serve it.
    private static func hasBody(_ status: HTTPResponseStatus) -> Bool {
        !(status.code < 200 || status.code == 204 || status.code == 304)
    }
}
