import Logging
import ServiceLifecycle
import UnixSignals

/// Runs services until SIGTERM or SIGINT, the way every subcommand shuts down.
enum ServiceGroupRunner {
    /// Returns normally after a graceful shutdown, so the process exits 0. In-flight work gets
    /// `gracePeriod` to finish before it is cancelled.
    static func run(_ services: [any Service], gracePeriod: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            // The lifecycle names each service in its log lines; by default it interpolates the
            // whole value, and a service's stored configuration holds provider keys. The type name
            // is all an operator needs.
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, serviceName: String(describing: type(of: $0))) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracePeriod
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
    }
}
