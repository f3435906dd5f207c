package import Hummingbird
import HummingbirdCore
import HummingbirdTLS
package import Logging
package import ServiceLifecycle

/// The listeners emulators run: their router on `host:port`, reporting the bound port (the real
/// one when asked for port 0) once it listens.
package enum EmulatorApplication {
    /// Where an emulator listens. The accept queue is as deep as the kernel allows (it caps it at
    /// `net.core.somaxconn`, 4096 by default) rather than Hummingbird's 256: a proxy opening
    /// thousands of upstream streams at once must not see SYNs dropped and connects time out.
    static func configuration(host: String, port: Int) -> ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil, backlog: 4096)
    }

    /// A plain-HTTP listener.
    package static func make(
        router: Router<BasicRequestContext>,
        host: String,
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            configuration: Self.configuration(host: host, port: port),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// An HTTPS listener with the mock CA's server certificate when there is a mock CA
    /// (``MockCertificateAuthority/shared``), else plain HTTP: for emulators whose clients refuse
    /// plain HTTP (botocore sends a Bedrock API key only over HTTPS; azure-identity refuses an
    /// `http://` authority). Pair it with ``httpsSchemeWhenAvailable`` in the declaration.
    package static func makeHTTPSWhenAvailable(
        router: Router<BasicRequestContext>,
        host: String,
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> any Service {
        guard let tls = try? MockCertificateAuthority.shared?.serverTLSConfiguration(),
            let server = try? HTTPServerBuilder.tls(.http1(), tlsConfiguration: tls)
        else {
            return Self.make(router: router, host: host, port: port, logger: logger, onListening: onListening)
        }
        return Application(
            router: router,
            server: server,
            configuration: Self.configuration(host: host, port: port),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// The scheme ``makeHTTPSWhenAvailable(router:host:port:logger:onListening:)`` serves.
    package static var httpsSchemeWhenAvailable: String {
        MockCertificateAuthority.shared == nil ? "http" : "https"
    }
}
