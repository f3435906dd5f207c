import Foundation
import Glibc
import NIOCore
import NIOPosix
import Synchronization

/// A stand-in upstream at the socket level, for faults no HTTP server library lets a handler
/// commit: a reset before or after the head, a stall, a body cut without its last chunk, an
/// HTTP/1.0 answer delimited by the close.
///
/// Each connection reads one request (head, and a `Content-Length` or chunked body), asks
/// `script` what to do with it, plays the steps, then half-closes and waits for the peer to close.
/// It keeps count of what a test must see come back to zero: the connections still open.
///
/// Everything runs in a channel handler on NIO's event loop, never on the test runner's
/// cooperative threads: with every suite running at once those can be busy for seconds, and a
/// stand-in that answers late would turn each cell into an upstream timeout.
final class ScriptedUpstream: Sendable {
    /// One thing the stand-in does on a connection, in order.
    enum Step: Sendable {
        /// Writes and flushes these bytes; the next step waits until they are written to the
        /// socket, so a peer that stopped reading holds the script back (TCP backpressure).
        case write(ByteBuffer)
        /// Writes these bytes `times` times, each counted in ``bytesWritten`` once written.
        case writeRepeatedly(ByteBuffer, times: Int)
        /// Waits until the peer closes the connection, sending nothing: a stall.
        case stall
        /// Resets the connection (`SO_LINGER` 0, then close): the peer reads ECONNRESET.
        case reset
    }

    /// Connections accepted and not yet closed.
    var openConnections: Int { self.state.withLock { $0.open } }
    /// Bytes written to the sockets by ``Step/write(_:)`` and ``Step/writeRepeatedly(_:times:)``.
    var bytesWritten: Int { self.state.withLock { $0.bytesWritten } }
    /// The requests received, head and body as text, in order.
    var requests: [String] { self.state.withLock { $0.requests } }

    private struct State {
        var open = 0
        var bytesWritten = 0
        var requests: [String] = []
    }

    private let state = Mutex(State())
    private let script: @Sendable (_ request: String) -> [Step]

    private init(script: @escaping @Sendable (_ request: String) -> [Step]) {
        self.script = script
    }

    /// Runs a stand-in on 127.0.0.1 and a free port for the duration of `body`, then closes its
    /// listener and every connection still open.
    static func run<Value: Sendable>(
        script: @escaping @Sendable (_ request: String) -> [Step],
        _ body: (_ upstream: ScriptedUpstream, _ port: Int) async throws -> Value
    ) async throws -> Value {
        let upstream = ScriptedUpstream(script: script)
        let connections = ConnectionSet()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(upstream: upstream))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer {
            server.close(promise: nil)
            connections.closeAll()
        }
        guard let port = server.localAddress?.port else { throw NoPort() }
        return try await body(upstream, port)
    }

    struct NoPort: Error {}

    /// The accepted connections, to close those still open when the stand-in stops.
    private final class ConnectionSet: Sendable {
        private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

        func insert(_ channel: any Channel) {
            self.channels.withLock { $0[ObjectIdentifier(channel)] = channel }
            channel.closeFuture.whenComplete { [self] _ in _ = self.channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
        }

        func closeAll() {
            for channel in self.channels.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        }
    }

    /// One connection: reads the request, then plays its script.
    private final class ConnectionHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let upstream: ScriptedUpstream
        private var received = ByteBuffer()
        private var playing = false

        init(upstream: ScriptedUpstream) {
            self.upstream = upstream
        }

        func channelActive(context: ChannelHandlerContext) {
            self.upstream.state.withLock { $0.open += 1 }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.upstream.state.withLock { $0.open -= 1 }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = self.unwrapInboundIn(data)
            guard !self.playing else { return }  // what the peer sends after its request is ignored
            self.received.writeBuffer(&bytes)
            guard let request = Self.completeRequest(in: self.received) else { return }
            self.playing = true
            self.upstream.state.withLock { $0.requests.append(request) }
            self.play(self.upstream.script(request)[...], context: context)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)  // the peer reset the connection, or a write failed
        }

        /// Plays `steps` one after the other, each write waiting for the one before it.
        private func play(_ steps: ArraySlice<Step>, context: ChannelHandlerContext) {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            guard let step = steps.first else {
                // The end of the script: a FIN once everything written has gone; the peer closes
                // (with `connection: close`, a proxy that read the whole answer closes; a body cut
                // short is an error it closes on; an HTTP/1.0 body ends with the FIN).
                context.close(mode: .output, promise: nil)
                return
            }
            let rest = steps.dropFirst()
            switch step {
            case .write(let bytes):
                self.write(bytes, context: context, then: rest, loopBound)
            case .writeRepeatedly(let bytes, let times):
                guard times > 0 else { return self.play(rest, context: context) }
                self.write(bytes, context: context, then: [.writeRepeatedly(bytes, times: times - 1)] + rest, loopBound)
            case .stall:
                break  // the peer's close ends the connection (channelInactive)
            case .reset:
                let channel = context.channel
                // NIO's own socket channels provide socket options (as NIO's multicast example uses them).
                if let sockets = channel as? any SocketOptionProvider {
                    sockets.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
            }
        }

        /// Writes `bytes`, and once they are on the socket plays `rest`: as a new event-loop task,
        /// since a write to a writable socket completes at once and thousands of them would
        /// otherwise nest on the stack.
        private func write(
            _ bytes: ByteBuffer, context: ChannelHandlerContext, then rest: ArraySlice<Step>, _ loopBound: NIOLoopBound<(ConnectionHandler, ChannelHandlerContext)>
        ) {
            let upstream = self.upstream
            let count = bytes.readableBytes
            let eventLoop = context.eventLoop
            context.writeAndFlush(self.wrapOutboundOut(bytes)).whenSuccess {
                upstream.state.withLock { $0.bytesWritten += count }
                eventLoop.execute {
                    let (handler, context) = loopBound.value
                    handler.play(rest, context: context)
                }
            }
        }

        /// The request's head and `Content-Length` or chunked body as text, once all of it is in.
        private static func completeRequest(in received: ByteBuffer) -> String? {
            let bytes = Array(received.readableBytesView)
            let headEnd = Array("\r\n\r\n".utf8)
            guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: headEnd) }) else { return nil }
            let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = bytes[(end + headEnd.count)...]
            // A chunked body (the proxy streams bodies it does not read) ends with its last chunk.
            let complete = head.contains("transfer-encoding: chunked") ? body.reversed().starts(with: Array("0\r\n\r\n".utf8).reversed()) : body.count >= length
            return complete ? String(decoding: bytes, as: UTF8.self) : nil
        }
    }
}

extension ScriptedUpstream.Step {
    /// A response head; `chunked` adds `transfer-encoding: chunked`. Every head says
    /// `connection: close`: each connection serves one request, so a pooled connection never
    /// hides whether the proxy closed one.
    static func head(_ status: String = "200 OK", version: String = "HTTP/1.1", contentType: String, chunked: Bool = true, extra: [String] = []) -> Self {
        var lines = ["\(version) \(status)", "content-type: \(contentType)", "connection: close"]
        if chunked { lines.append("transfer-encoding: chunked") }
        lines += extra
        return .write(ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n\r\n"))
    }

    /// `bytes` as one chunk of a chunked body.
    static func chunk(_ bytes: ByteBuffer) -> Self {
        .write(chunkBytes(bytes))
    }

    static func chunkBytes(_ bytes: ByteBuffer) -> ByteBuffer {
        var framed = ByteBuffer(string: String(bytes.readableBytes, radix: 16) + "\r\n")
        var bytes = bytes
        framed.writeBuffer(&bytes)
        framed.writeString("\r\n")
        return framed
    }

    /// The chunk that ends a chunked body.
    static let lastChunk = Self.write(ByteBuffer(string: "0\r\n\r\n"))
}
