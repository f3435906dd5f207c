import Gateway
import NIOCore

/// A client connection's "the client has gone" signal, and the means to cancel work on it.
///
/// The client is gone when its side of the connection ends: end of input (FIN, as nginx reads a
/// client's EOF while it waits on the upstream: "client prematurely closed connection"), a reset,
/// or the connection closing. ``ClientDepartureObserver`` sees that first in the channel's
/// pipeline, whatever the server is doing with the connection; NIO reads an end of input even
/// while the HTTP/1 pipeline handler holds reads back for a request being answered.
///
/// Nothing of the connection's inbound stream is consumed to watch it, so a response on a watched
/// request keeps the connection alive for the next one, and requests pipelined behind it are
/// served (Hummingbird's `consumeWithCancellationOnInboundClose` reads the next head to see the
/// close, which drops it and closes the connection after the response).
package final class ClientDeparture: Sendable {
    /// The departure signal of the connection whose request the current task is answering; bound
    /// by ``TimedHTTP1Channel`` around each connection's handling.
    @TaskLocal package static var current: ClientDeparture?

    private let signal = OneShotSignal()
    private let channel: (any Channel)?

    init(channel: (any Channel)? = nil) {
        self.channel = channel
    }

    /// Closes the connection of a client that has left: it gets no answer, as from nginx (which
    /// logs 499), instead of one made from the cancelled work.
    package func closeConnection() {
        self.channel?.close(promise: nil)
    }

    /// Whether the client has gone.
    package var hasLeft: Bool { self.signal.hasFired }

    /// Called once the client's side has ended; runs every action registered.
    package func clientLeft() { self.signal.fire() }

    /// Registers `action` to run when the client leaves; runs it at once (and returns `nil`) if
    /// it has left already.
    private func onDeparture(_ action: @escaping @Sendable () -> Void) -> Int? { self.signal.onFire(action) }

    private func remove(_ id: Int?) { self.signal.remove(id) }

    /// Runs `operation` in a task of its own that is cancelled the moment the client leaves (or
    /// the caller is cancelled), and returns its result. One task per call: cheap enough for
    /// every request.
    package func run<T: Sendable>(_ operation: sending @escaping @isolated(any) () async -> T) async -> T {
        let task = Task(operation: operation)
        let id = self.onDeparture { task.cancel() }
        defer { self.remove(id) }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Runs `operation` (which may use the caller's state, such as a response writer) and cancels
    /// it the moment the client leaves; throws `CancellationError` then. With a `cutoff`, it is
    /// also cancelled when the cutoff fires, `cut` marked first so that `operation` knows why;
    /// this then returns once `operation` has ended.
    package func cancellingOnDeparture(
        orCutoff cutoff: ShutdownCutoff? = nil, marking cut: StreamCut? = nil, _ operation: () async throws -> Void
    ) async throws {
        try await withoutActuallyEscaping(operation) { operation in
            let unsafe = UncheckedSendableBox(operation)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await unsafe.value()
                    return true
                }
                group.addTask {
                    await self.waitForDeparture(orCutoff: cutoff, marking: cut)
                    return false
                }
                let finished = try await group.next() ?? false
                group.cancelAll()
                // A cut operation ends itself (the group waits for it); a departure is an error.
                if !finished, !(cut?.isCut ?? false) { throw CancellationError() }
            }
        }
    }

    /// Returns when the client has left, when the cutoff fires (`cut` marked, unless the client
    /// had left already), or when the calling task is cancelled.
    private func waitForDeparture(orCutoff cutoff: ShutdownCutoff?, marking cut: StreamCut?) async {
        let waiter = FirstOutcome<Void>()
        let id = self.onDeparture { waiter.deliver(.success(())) }
        defer { self.remove(id) }
        let cutoffID = cutoff?.onFire {
            if !self.hasLeft { cut?.cut() }
            waiter.deliver(.success(()))
        }
        defer { cutoff?.remove(cutoffID) }
        await withTaskCancellationHandler {
            _ = await waiter.value()
        } onCancel: {
            waiter.deliver(.success(()))
        }
    }
}

/// Moves a value the compiler cannot prove sendable into a child task whose lifetime is bounded by
/// the caller's (as Hummingbird's `UnsafeTransfer`).
final class UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Fires the connection's ``ClientDeparture`` on end of input, reset or close. First in the
/// pipeline, so no handler behind it (the HTTP/1 pipeline handler buffers a half-close while a
/// response is pending) can hold the news back.
final class ClientDepartureObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let departure: ClientDeparture

    init(departure: ClientDeparture) {
        self.departure = departure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { self.departure.clientLeft() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.departure.clientLeft()
        context.fireChannelInactive()
    }
}
