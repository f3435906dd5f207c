import Proxy
import Testing

/// `ARCHESTRA_METRICS_*` and `ARCHESTRA_OTEL_*` read into ``ObservabilityConfiguration``.
@Suite
struct ObservabilityConfigurationTests {
    static func observability(_ environment: [String: String], port: Int = 9000) throws -> ObservabilityConfiguration {
        try ProxyConfiguration(environment: environment, port: port).observability
    }

    @Test("metrics: 9050 by default on the proxy's host, off for a proxy on port 0 unless asked, off by name, any port by number")
    func metricsPort() throws {
        let standard = try #require(try Self.observability(["ARCHESTRA_HOST": "0.0.0.0"]).metrics)
        #expect(standard.port == 9050 && standard.host == "0.0.0.0" && !standard.portIsExplicit && standard.secret == nil)
        #expect(try Self.observability([:], port: 0).metrics == nil)
        #expect(try Self.observability(["ARCHESTRA_METRICS_PORT": "0"], port: 0).metrics?.port == 0)
        #expect(try Self.observability(["ARCHESTRA_METRICS_PORT": "off"]).metrics == nil)
        let chosen = try #require(try Self.observability(["ARCHESTRA_METRICS_PORT": "9191", "ARCHESTRA_METRICS_SECRET": "s"]).metrics)
        #expect(chosen.port == 9191 && chosen.portIsExplicit && chosen.secret?.exposedValue == "s")
    }

    @Test("bad metrics and tracing settings name their variable and never echo a value", arguments: [
        ["ARCHESTRA_METRICS_PORT": "70000"],
        ["ARCHESTRA_METRICS_PORT": "nine"],
        ["ARCHESTRA_METRICS_PORT": "9000"],
        ["ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"],
        ["ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"],
    ])
    func rejected(_ environment: [String: String]) throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.observability(environment) }
        let variable = try #require(environment.keys.sorted().last)
        #expect(error?.variable == variable)
    }

    @Test("tracing: off without an endpoint; /v1/traces appended to a base URL, kept when given; protobuf unless http/json")
    func tracing() throws {
        #expect(try Self.observability([:]).tracing == nil)
        let base = try #require(try Self.observability(["ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]).tracing)
        #expect(base.tracesURL == "http://collector:4318/v1/traces" && !base.json && base.serviceName == "archestra")
        let full = try #require(try Self.observability([
            "ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example/v1/traces", "ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            "ARCHESTRA_OTEL_SERVICE_NAME": "gateway-eu",
        ]).tracing)
        #expect(full.tracesURL == "https://otel.example/v1/traces" && full.json && full.serviceName == "gateway-eu")
    }
}
