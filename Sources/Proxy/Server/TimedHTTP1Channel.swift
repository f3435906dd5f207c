import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with ``ClientConnectionTimer`` around its decoder, a
/// ``ClientDeparture`` signal that the connection's requests are cancelled by, and
/// ``ConnectionPersistenceHandler`` for each request's version and keep-alive.
///
/// Hummingbird builds the HTTP/1 pipeline itself and offers extra handlers only behind its
/// HTTPTypes conversion; the timer needs one handler in front of the decoder (raw bytes) and one
/// right behind it, so this wrapper adds them around Hummingbird's own setup.
struct TimedHTTP1Channel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let base: HTTP1Channel.Value
        let departure: ClientDeparture
        var channel: any Channel { self.base.channel }
    }

    let base: HTTP1Channel
    let timeouts: ClientTimeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Child channels are set up on their own event loop (Hummingbird's setup relies on it too),
        // so the handlers sharing the timer are added synchronously and never cross threads.
        let timer = ClientConnectionTimer(timeouts: self.timeouts)
        let departure = ClientDeparture(channel: channel)
        do {
            try channel.pipeline.syncOperations.addHandler(ClientBytesObserver(timer: timer), position: .first)
            try channel.pipeline.syncOperations.addHandler(ClientDepartureObserver(departure: departure), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return self.base.setup(channel: channel, logger: logger).assumeIsolated().flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(ClientRequestPhaseObserver(timer: timer), position: .after(decoder.handler))
            try channel.pipeline.syncOperations.addHandler(ConnectionPersistenceHandler(), position: .after(decoder.handler))
            return Value(base: value, departure: departure)
        }.nonisolated()
    }

    func handle(value: Value, logger: Logger) async {
        // The responder runs in this task: each request's context picks the signal up from here.
        await ClientDeparture.$current.withValue(value.departure) {
            await self.base.handle(value: value.base, logger: logger)
        }
    }
}
