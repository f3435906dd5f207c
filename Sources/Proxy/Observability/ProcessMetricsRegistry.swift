import Metrics
package import Prometheus

/// The process's one Prometheus registry behind swift-metrics.
///
/// `MetricsSystem.bootstrap` may run once per process, so it runs here, the first time a proxy
/// with metrics starts: from then on every swift-metrics counter, gauge and timer made in the
/// process (the interaction log's dropped records, libraries') lands in this registry and is
/// served on `/metrics`. A swift-metrics instrument made *before* that stays a no-op: make them
/// when the service starts, not in a global initialiser.
package enum ProcessMetricsRegistry {
    package static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
