package import Hummingbird
package import NIOCore

/// The request context of `archestra serve`'s router: Hummingbird's basics plus the socket peer,
/// which the failed-authentication limiter keys on.
package struct ProxyRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?
    /// The connection's "client has gone" signal (`nil` outside `archestra serve`'s channel).
    package let departure: ClientDeparture?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.departure = ClientDeparture.current
    }
}
