import AsyncHTTPClient
import Gateway
package import Logging
import ServiceLifecycle

/// `archestra serve` as a `Service`: owns the upstream HTTP client and the gateway's directory
/// refresher for exactly as long as the server runs, so in-flight relays never outlive them.
///
/// On graceful shutdown the server stops accepting connections and lets in-flight requests
/// (streams included) finish; the enclosing `ServiceGroup`'s `maximumGracefulShutdownDuration`
/// bounds that wait, and streams still open just before it ends are ended with an in-band error
/// (``ShutdownCutoff``).
package struct ProxyService: Service, CustomStringConvertible {
    let configuration: ProxyConfiguration
    let gateway: GatewayRuntime?
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void
    /// Test seams for metrics (docs/observability.md).
    package var observabilityHooks = ObservabilityHooks()
    /// `archestra serve --record`: receives both legs of every exchange (``ExchangeCaptureSink``).
    package var exchangeCaptureSink: (any ExchangeCaptureSink)?

    /// `gateway`: an opened store and directory; `nil` opens `ARCHESTRA_DATABASE_URL` when the
    /// service starts.
    package init(
        configuration: ProxyConfiguration,
        gateway: GatewayRuntime? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.gateway = gateway
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// The service group logs every service's description; the configuration holds keys, so
    /// the description is the name alone.
    package var description: String { "ProxyService" }

    package func run() async throws {
        let gateway: GatewayRuntime
        if let opened = self.gateway {
            gateway = opened
        } else {
            gateway = try await GatewayRuntime.open(configuration: self.configuration, logger: self.logger)
        }
        try await HTTPClient.withHTTPClient(
            configuration: ProxyServer.httpClientConfiguration(for: self.configuration),
            backgroundActivityLogger: self.logger
        ) { client in
            // Prometheus metrics and OpenTelemetry traces, when configured: record sinks, and the
            // metrics endpoint and span exporter run beside the server.
            let observability = try ProxyObservability(configuration: self.configuration.observability, hooks: self.observabilityHooks, logger: self.logger)
            // The interaction log: records queued by requests, written in batches by its own task.
            // Made after the metrics system is bootstrapped, so its dropped-records counter registers there.
            let interactionLog = InteractionLogWriter(store: gateway.store, settings: self.configuration.interactionLog, logger: self.logger)
            let cutoff = ShutdownCutoff()
            let application = try ProxyServer.makeApplication(
                configuration: self.configuration,
                httpClient: client,
                gateway: gateway,
                recordSinks: observability.recordSinks + [interactionLog],
                metrics: observability.metrics,
                exchangeCapture: self.exchangeCaptureSink,
                shutdownCutoff: cutoff,
                logger: self.logger,
                onServerRunning: self.onServerRunning
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in observability.services {
                    group.addTask { try await service.run() }
                }
                // The directory polls the store until graceful shutdown; the server drains.
                group.addTask { try await gateway.directory.run() }
                // Prices, limits and spend: reloaded on change, spend saved and shared with other processes.
                group.addTask { try await gateway.costs.run() }
                // The model router's `/models` lists, synced from each provider into the store.
                if let interval = self.configuration.modelListSyncInterval {
                    let synchronizer = ModelListSynchronizer(
                        store: gateway.store, providers: self.configuration.providers, httpClient: client, interval: interval, logger: self.logger)
                    group.addTask { await synchronizer.run() }
                }
                group.addTask { await interactionLog.run() }
                group.addTask {
                    // Once the server has drained, no record can come: the log writes what is queued and ends.
                    defer { interactionLog.finish() }
                    // Streams still open when the grace is about to run out end with an in-band error.
                    try await cutoff.arm(grace: self.configuration.shutdownGracePeriod) { try await application.run() }
                }
                // The first failure (a metrics port that cannot be bound) stops the proxy at once
                // rather than when the server next stops.
                for try await _ in group {}
            }
        }
    }
}
