import AsyncHTTPClient
package import Logging
import ServiceLifecycle

/// `archestra serve` as a `Service`: owns the upstream HTTP client for exactly as long as the
/// server runs, so in-flight relays never outlive it.
///
/// On graceful shutdown the server stops accepting connections and lets in-flight requests
/// (streams included) finish; the enclosing `ServiceGroup`'s `maximumGracefulShutdownDuration`
/// bounds that wait.
///
/// Its description is its name alone: swift-service-lifecycle logs every service's description,
/// and the default one would print the configuration, fallback keys included.
package struct ProxyService: Service, CustomStringConvertible {
    let configuration: ProxyConfiguration
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void

    package init(configuration: ProxyConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    package var description: String { "ProxyService" }

    package func run() async throws {
        try await HTTPClient.withHTTPClient(
            configuration: ProxyServer.httpClientConfiguration(for: self.configuration),
            backgroundActivityLogger: self.logger
        ) { client in
            let application = try ProxyServer.makeApplication(
                configuration: self.configuration,
                httpClient: client,
                logger: self.logger,
                onServerRunning: self.onServerRunning
            )
            try await application.run()
        }
    }
}
