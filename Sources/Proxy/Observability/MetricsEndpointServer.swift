import Foundation
import HTTPTypes
import Hummingbird
package import Logging
import NIOCore
package import Prometheus
import Synchronization
import WireFormats

/// The Prometheus scrape endpoint, `GET /metrics` on ``ObservabilityConfiguration/MetricsEndpoint``:
/// its own small HTTP server, run beside the proxy's for as long as the proxy runs.
///
/// With a secret set, a scrape without `Authorization: Bearer <secret>` gets 401 (compared in
/// constant time). The body is the text exposition format, rendered from `registries` after the
/// scrape-time gauges are sampled.
package struct MetricsEndpointServer: Sendable {
    let endpoint: ObservabilityConfiguration.MetricsEndpoint
    let metrics: RequestMetrics
    /// Rendered in order: the request metrics' registry, then the process's swift-metrics registry
    /// when it is another one (in production it is the same).
    let registries: [PrometheusCollectorRegistry]
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void

    package init(
        endpoint: ObservabilityConfiguration.MetricsEndpoint,
        metrics: RequestMetrics,
        processRegistry: PrometheusCollectorRegistry?,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.endpoint = endpoint
        self.metrics = metrics
        var registries = [metrics.registry]
        if let processRegistry, processRegistry !== metrics.registry { registries.append(processRegistry) }
        self.registries = registries
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// Serves until graceful shutdown. A default port that cannot be bound (another proxy on the
    /// machine has it) turns metrics off with an error line instead of failing the proxy; a port
    /// the operator chose fails it.
    package func run() async throws {
        let started = StartedFlag()
        let logger = self.logger
        let endpoint = self.endpoint
        let onServerRunning = self.onServerRunning
        let application = Application(
            router: self.makeRouter(),
            configuration: .init(address: .hostname(endpoint.host, port: endpoint.port), serverName: nil),
            onServerRunning: { channel in
                started.value.store(true, ordering: .relaxed)
                let port = channel.localAddress?.port ?? endpoint.port
                logger.notice("metrics listening", metadata: ["address": "http://\(endpoint.host):\(port)/metrics"])
                await onServerRunning(port)
            },
            logger: logger
        )
        do {
            try await application.run()
        } catch where !endpoint.portIsExplicit && !started.value.load(ordering: .relaxed) {
            logger.error(
                "metrics are off: the default metrics port could not be bound; set ARCHESTRA_METRICS_PORT to another port, or off",
                metadata: ["port": "\(endpoint.port)", "error": "\(error)"])
        }
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let secret = self.endpoint.secret
        let metrics = self.metrics
        let registries = self.registries
        router.get("/metrics") { request, _ -> Response in
            if let secret {
                let presented = request.headers[.authorization].flatMap(Self.bearerToken) ?? ""
                guard ConstantTimeComparison.areEqual(presented, secret.exposedValue) else {
                    return Response(
                        status: .unauthorized,
                        headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "a bearer token is required for /metrics\n")))
                }
            }
            metrics.collect()
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16 * 1024)
            for registry in registries { registry.emit(into: &bytes) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return router
    }

    /// The token of an `Authorization: Bearer <token>` value.
    static func bearerToken(_ value: String) -> String? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

/// Whether the metrics server got as far as listening, set from its `onServerRunning`.
private final class StartedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
