import Logging
package import Prometheus
import ServiceLifecycle

/// What ``ProxyService`` runs for metrics and traces, built from
/// ``ObservabilityConfiguration`` when the service starts: the record sinks, the metrics (for
/// the proxy's own gauges) and the services to run beside the proxy's server.
struct ProxyObservability {
    var recordSinks: [any RequestRecordSink] = []
    var metrics: RequestMetrics?
    var services: [any Service] = []

    init(configuration: ObservabilityConfiguration, hooks: ObservabilityHooks, logger: Logger) throws {
        if let endpoint = configuration.metrics {
            let processRegistry = ProcessMetricsRegistry.shared
            let metrics = RequestMetrics(registry: hooks.metricsRegistry ?? processRegistry)
            self.metrics = metrics
            self.recordSinks.append(metrics)
            self.services.append(
                MetricsService(server: MetricsEndpointServer(
                    endpoint: endpoint, metrics: metrics, processRegistry: processRegistry, logger: logger, onServerRunning: hooks.onMetricsServerRunning)))
        }
        if let export = configuration.tracing {
            let tracing = try RequestTracing.make(export, logger: logger)
            self.recordSinks.append(tracing.sink)
            self.services.append(tracing.service)
        }
    }
}

/// Test seams for ``ProxyService``'s observability: a registry of the test's own (the process's
/// is shared by every proxy in it) and the metrics server's bound port.
package struct ObservabilityHooks: Sendable {
    package var metricsRegistry: PrometheusCollectorRegistry?
    package var onMetricsServerRunning: @Sendable (Int) async -> Void

    package init(metricsRegistry: PrometheusCollectorRegistry? = nil, onMetricsServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.metricsRegistry = metricsRegistry
        self.onMetricsServerRunning = onMetricsServerRunning
    }
}

/// ``MetricsEndpointServer`` as a `Service`.
struct MetricsService: Service {
    let server: MetricsEndpointServer

    func run() async throws {
        try await self.server.run()
    }
}
