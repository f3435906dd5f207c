package import Hummingbird
package import Logging

/// The listener every plain-HTTP emulator runs: its router on `host:port`, reporting the bound
/// port (the real one when asked for port 0) once it listens.
package enum EmulatorApplication {
    package static func make(
        router: Router<BasicRequestContext>,
        host: String,
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
