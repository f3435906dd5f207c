import Foundation
package import WireFormats

/// Where the proxy's Prometheus metrics and OpenTelemetry traces go (`ARCHESTRA_METRICS_*`,
/// `ARCHESTRA_OTEL_*`). Both are optional: with neither, the proxy does no observability work
/// beyond its request log line.
package struct ObservabilityConfiguration: Sendable {
    /// The `/metrics` endpoint, or `nil` when metrics are off.
    package var metrics: MetricsEndpoint?
    /// The OTLP/HTTP traces endpoint, or `nil` when tracing is off (no tracer, no per-request work).
    package var tracing: TracingExport?

    /// The Prometheus scrape endpoint: its own small server beside the proxy's, so scrapes never
    /// take a proxy connection or a concurrency slot, and it can be firewalled apart.
    package struct MetricsEndpoint: Sendable {
        package var host: String
        /// 0 picks a free port (tests).
        package var port: Int
        /// Set when the operator chose the port: failing to bind it then fails the proxy. The
        /// default port busy (a second proxy on the machine) only turns metrics off, loudly.
        package var portIsExplicit: Bool
        /// A bearer token scrapers must send (`ARCHESTRA_METRICS_SECRET`); `nil` serves anyone.
        package var secret: Secret?
    }

    /// OTLP/HTTP export of one span per request.
    package struct TracingExport: Sendable {
        /// The full traces URL (`…/v1/traces`).
        package var tracesURL: String
        /// `http/protobuf` (default) or `http/json` (`ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL`).
        package var json: Bool
        /// The `service.name` resource attribute (`ARCHESTRA_OTEL_SERVICE_NAME`).
        package var serviceName: String
        /// How long finished spans wait to be batched into one export; short in tests.
        package var batchDelay: Duration
    }

    /// The proxy's Prometheus port when none is set, as Archestra's.
    package static let defaultMetricsPort = 9050

    /// Reads the variables. A proxy on port 0 (a throwaway port: tests, benchmarks) has no
    /// metrics unless `ARCHESTRA_METRICS_PORT` asks for them, so parallel proxies never fight
    /// over the default port.
    init(reader: EnvironmentReader, host: String, proxyPort: Int) throws(ConfigurationError) {
        let portText = reader.string("ARCHESTRA_METRICS_PORT")?.lowercased()
        let secret = reader.string("ARCHESTRA_METRICS_SECRET").map(Secret.init)
        switch portText {
        case "off", "false", "disabled", "none":
            self.metrics = nil
        case nil:
            self.metrics = proxyPort == 0 ? nil : MetricsEndpoint(host: host, port: Self.defaultMetricsPort, portIsExplicit: false, secret: secret)
        case let text?:
            guard let port = Int(text), (0...65535).contains(port) else {
                throw ConfigurationError(variable: "ARCHESTRA_METRICS_PORT", problem: "must be a port in 0...65535, or off")
            }
            if port != 0, port == proxyPort {
                throw ConfigurationError(variable: "ARCHESTRA_METRICS_PORT", problem: "must differ from the proxy's port")
            }
            self.metrics = MetricsEndpoint(host: host, port: port, portIsExplicit: true, secret: secret)
        }

        guard let endpoint = reader.string("ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT") else {
            self.tracing = nil
            return
        }
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw ConfigurationError(variable: "ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT", problem: "must be an http:// or https:// URL")
        }
        let json: Bool
        switch reader.string("ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL")?.lowercased() {
        case nil, "http/protobuf": json = false
        case "http/json": json = true
        default:
            throw ConfigurationError(variable: "ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL", problem: "must be http/protobuf or http/json (gRPC is not built in)")
        }
        let delayMilliseconds = try reader.integer("ARCHESTRA_OTEL_BATCH_DELAY_MS", in: 1...60_000) ?? 5_000
        self.tracing = TracingExport(
            tracesURL: Self.tracesURL(base: endpoint),
            json: json,
            serviceName: reader.string("ARCHESTRA_OTEL_SERVICE_NAME") ?? "archestra",
            batchDelay: .milliseconds(delayMilliseconds)
        )
    }

    /// The OTLP convention for a base endpoint: `/v1/traces` appended, unless the URL already
    /// names it.
    static func tracesURL(base: String) -> String {
        if base.hasSuffix("/v1/traces") { return base }
        return base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
    }
}
