package import Hummingbird
package import NIOCore

/// The request context of `archestra serve`'s router: Hummingbird's basics plus the socket peer,
/// which the failed-authentication limiter keys on.
package struct ProxyRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
