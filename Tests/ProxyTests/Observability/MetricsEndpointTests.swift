import AsyncHTTPClient
import Foundation
import Gateway
import CoreMetrics
import MockProviders
import NIOCore
import Prometheus
import Proxy
import Testing
import TestSupport

/// `/metrics` on its own port, scraped after real requests through the proxy to the OpenAI
/// emulator: GATEWAY.md's series with their labels and values, the proxy's in-flight gauges, any
/// swift-metrics counter of the process, and the bearer secret.
@Suite(.timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    static let secret = "scrape-secret-7c1d"

    @Test("requests through the proxy show up as llm_* series with bounded labels, values from the emulator's usage")
    func scrapeAfterRequests() async throws {
        try await withObservedProxy(environment: ["ARCHESTRA_METRICS_SECRET": Self.secret]) { proxy, metrics in
            try await withTestClient { client in
                // A whole body, a stream (with usage), an unknown key (401 from the upstream).
                let plain = try await client.execute(
                    openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"count my tokens"}]}"#, key: OpenAIEmulator.apiKey),
                    timeout: .seconds(10))
                #expect(plain.status == .ok)
                let usage = try JSONSerialization.jsonObject(with: Data(try await plain.bodyText().utf8)) as? [String: Any]
                let reported = try #require(usage?["usage"] as? [String: Any])
                let promptTokens = try #require(reported["prompt_tokens"] as? Int)
                let completionTokens = try #require(reported["completion_tokens"] as? Int)

                let stream = try await client.execute(
                    openAIRequest(
                        "\(proxy)/v1/openai/chat/completions",
                        json: #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"stream please"}]}"#,
                        key: OpenAIEmulator.apiKey),
                    timeout: .seconds(10))
                #expect(stream.status == .ok)
                #expect(try await stream.bodyText().contains("[DONE]"))

                let refused = try await client.execute(
                    openAIRequest("\(proxy)/v1/openai/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[]}"#, key: "sk-wrong"), timeout: .seconds(10))
                #expect(refused.status == .unauthorized)
                _ = try await refused.bodyText()

                let scrape = try await Self.scrape(client, metrics, token: Self.secret)
                let openAI = ["provider": "openai", "model": "gpt-4o-mini"]
                #expect(scrape.value("llm_requests_total", openAI.merging(["status_code": "200"]) { $1 }) == 2)
                #expect(scrape.value("llm_requests_total", openAI.merging(["status_code": "401"]) { $1 }) == 1)
                #expect(scrape.value("llm_request_duration_seconds_count", openAI.merging(["status_code": "200"]) { $1 }) == 2)
                // The non-streamed answer's tokens, plus the stream's (at least as many again).
                let input = try #require(scrape.value("llm_tokens_total", openAI.merging(["type": "input"]) { $1 }))
                let output = try #require(scrape.value("llm_tokens_total", openAI.merging(["type": "output"]) { $1 }))
                #expect(input > Double(promptTokens))
                #expect(output > Double(completionTokens))
                // Only the stream has a first message.
                #expect(scrape.value("llm_time_to_first_token_seconds_count", openAI) == 1)
                // No profile id outside the gateway's own profiles, no key, no request id.
                #expect(!scrape.text.contains("sk-wrong"))
                #expect(!scrape.text.contains(OpenAIEmulator.apiKey))
                #expect(scrape.series("llm_requests_total").allSatisfy { labels in
                    Set(labels.keys) == ["provider", "model", "profile_id", "status_code"]
                })
                #expect(scrape.value("archestra_requests_in_flight", [:]) == 0 || scrape.value("archestra_requests_in_flight", [:]) == 1)
                #expect(scrape.value("archestra_upstream_requests_awaiting_head", [:]) == 0)
            }
        }
    }

    @Test("the secret: no token or a wrong one gets 401, the right one the exposition format")
    func secretIsRequired() async throws {
        try await withObservedProxy(environment: ["ARCHESTRA_METRICS_SECRET": Self.secret]) { _, metrics in
            try await withTestClient { client in
                for token in [nil, "wrong", Self.secret + "x", String(Self.secret.dropLast())] {
                    var request = HTTPClientRequest(url: "\(metrics)/metrics")
                    if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
                    let response = try await client.execute(request, timeout: .seconds(5))
                    #expect(response.status == .unauthorized, "token \(token ?? "none")")
                    #expect(response.headers.first(name: "www-authenticate") == "Bearer")
                    let body = try await response.bodyText()
                    #expect(!body.contains("llm_"))
                    #expect(!body.contains(Self.secret))
                }
                let scrape = try await Self.scrape(client, metrics, token: Self.secret)
                #expect(scrape.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(scrape.text.contains("# TYPE archestra_requests_in_flight gauge"))
            }
        }
    }

    @Test("no secret: anyone may scrape; the proxy port does not serve /metrics")
    func openEndpoint() async throws {
        try await withObservedProxy { proxy, metrics in
            try await withTestClient { client in
                let scrape = try await Self.scrape(client, metrics, token: nil)
                #expect(scrape.text.contains("archestra_requests_in_flight"))
                let onProxy = try await client.execute(HTTPClientRequest(url: "\(proxy)/metrics"), timeout: .seconds(5))
                #expect(onProxy.status != .ok)
                _ = try await onProxy.bodyText()
            }
        }
    }

    @Test("a swift-metrics counter made after the proxy started is served too (the interaction log's dropped records)")
    func swiftMetricsCounters() async throws {
        try await withObservedProxy { _, metrics in
            let name = "archestra_test_counter_\(UUID().uuidString.prefix(8).lowercased())"
            CoreMetrics.Counter(label: name).increment(by: 3)
            try await withTestClient { client in
                let scrape = try await Self.scrape(client, metrics, token: nil)
                #expect(scrape.value(name, [:]) == 3)
            }
        }
    }

    @Test("in-flight gauges: a request waiting on its upstream counts in both; a stream counts until it ends")
    func inFlightGauges() async throws {
        try await withObservedProxy { proxy, metrics in
            try await withTestClient { client in
                // The emulator holds the head back, then answers 504: long enough that a loaded
                // machine's slow scrapes still see the wait (with 3 s, two of three runs beside
                // four busy loops scraped only after the head was back).
                async let hung = client.execute(
                    openAIRequest(
                        "\(proxy)/v1/openai/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"wait"}]}"#,
                        key: OpenAIEmulator.apiKey, headers: [("x-mock-scenario", "hang; max-ms=8000")]),
                    timeout: .seconds(30))
                let waiting = try await Self.poll(client, metrics, for: .seconds(8)) { $0.value("archestra_upstream_requests_awaiting_head", [:]) == 1 }
                #expect(waiting.value("archestra_requests_in_flight", [:]) == 1)
                let answer = try await hung
                #expect(answer.status == .gatewayTimeout)
                _ = try await answer.bodyText()
                let settled = try await Self.poll(client, metrics) { $0.value("archestra_requests_in_flight", [:]) == 0 }
                #expect(settled.value("archestra_upstream_requests_awaiting_head", [:]) == 0)

                // A slow stream: the head is back (nothing awaits a head), the body still flows.
                let stream = try await client.execute(
                    openAIRequest(
                        "\(proxy)/v1/openai/chat/completions", json: #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"slowly"}]}"#,
                        key: OpenAIEmulator.apiKey, headers: [("x-mock-scenario", "slow-stream; delay-ms=150")]),
                    timeout: .seconds(20))
                #expect(stream.status == .ok)
                let during = try await Self.scrape(client, metrics, token: nil)
                #expect(during.value("archestra_requests_in_flight", [:]) == 1)
                #expect(during.value("archestra_upstream_requests_awaiting_head", [:]) == 0)
                #expect(try await stream.bodyText().contains("[DONE]"))
                _ = try await Self.poll(client, metrics) { $0.value("archestra_requests_in_flight", [:]) == 0 }
            }
        }
    }

    // MARK: Support

    /// GET /metrics, 200 expected.
    static func scrape(_ client: HTTPClient, _ metrics: String, token: String?) async throws -> Scrape {
        var request = HTTPClientRequest(url: "\(metrics)/metrics")
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(5))
        try #require(response.status == .ok)
        return Scrape(text: try await response.bodyText(), contentType: response.headers.first(name: "content-type"))
    }

    /// Scrapes until `condition` holds (a gauge catching up with a response that has just ended),
    /// for at most `limit`.
    static func poll(_ client: HTTPClient, _ metrics: String, for limit: Duration = .seconds(5), until condition: (Scrape) -> Bool) async throws -> Scrape {
        let deadline = ContinuousClock.now + limit
        while true {
            let scrape = try await Self.scrape(client, metrics, token: nil)
            if condition(scrape) { return scrape }
            try #require(ContinuousClock.now < deadline, "condition never held; last scrape:\n\(scrape.text)")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The text exposition format, read back into series.
struct Scrape {
    let text: String
    var contentType: String? = nil

    /// Every sample of `name`, by its labels.
    func series(_ name: String) -> [[String: String]] {
        self.samples.filter { $0.name == name }.map(\.labels)
    }

    /// The sum of the samples of `name` whose labels include `labels`; `nil` when there are none.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        let matching = self.samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    var samples: [(name: String, labels: [String: String], value: Double)] {
        self.text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return (String(series), [:], value) }
            var labels: [String: String] = [:]
            let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
            for pair in body.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return (String(series[..<brace]), labels, value)
        }
    }
}

/// The OpenAI emulator, and the proxy in front of it with metrics on a free port and a registry
/// of this test's own; `body` gets the proxy's and the metrics endpoint's base URLs.
func withObservedProxy<Value: Sendable>(
    environment extra: [String: String] = [:],
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    _ body: (_ proxy: String, _ metrics: String) async throws -> Value
) async throws -> Value {
    try await withRunningService({ reportPort in
        MockProviderServer(host: "127.0.0.1", basePort: 0, emulators: [OpenAIEmulator.declaration], logger: quietLogger) { endpoints in
            await reportPort(endpoints.first { $0.provider == "openai" }?.port ?? 0)
        }
    }) { emulatorPort, _ in
        var environment = [
            "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(emulatorPort)/v1",
            "ARCHESTRA_DATABASE_URL": "sqlite::memory:",
            "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
            "ARCHESTRA_METRICS_PORT": "0",
        ]
        environment.merge(extra) { _, new in new }
        let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
        let gateway = try await GatewayRuntime.open(configuration: configuration, logger: quietLogger)
        let (metricsPorts, metricsPort) = AsyncStream<Int>.makeStream()
        return try await withRunningServices({ reportPort in
            var service = ProxyService(configuration: configuration, gateway: gateway, logger: quietLogger, onServerRunning: reportPort)
            service.observabilityHooks = ObservabilityHooks(metricsRegistry: registry, onMetricsServerRunning: { metricsPort.yield($0) })
            return [service]
        }) { port in
            var ports = metricsPorts.makeAsyncIterator()
            let metrics = try #require(await ports.next())
            return try await body("http://127.0.0.1:\(port)", "http://127.0.0.1:\(metrics)")
        }
    }
}
