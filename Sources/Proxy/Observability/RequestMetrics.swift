import Foundation
package import Prometheus
import Synchronization

/// The proxy's Prometheus metrics: GATEWAY.md §6's `llm_*` series recorded from each request's
/// ``RequestLogRecord`` when its response ends, and the proxy's own gauges read when scraped.
///
/// Labels: `provider`, `model`, `profile_id` on every `llm_*` series, plus `status_code` on the
/// request count and duration, `type` on tokens and `cache_type` on cache tokens. Label values
/// are bounded (``LabelValueBound``): no request ids, no keys, and models and profiles only once
/// the upstream has answered one of their requests 2xx, up to a cap, beyond which they are
/// `other`.
///
/// Recording is one dictionary lookup under a lock per request: the instruments of each label
/// set are made once and cached, so no label array is built on the request path.
package final class RequestMetrics: RequestRecordSink {
    package let registry: PrometheusCollectorRegistry
    private let state: Mutex<State>
    /// Values read at scrape time (in-flight counts), so the hot path does no gauge work.
    private let sampledGauges: Mutex<[(gauge: Gauge, read: @Sendable () -> Int)]> = Mutex([])

    private struct State {
        var series: [SeriesKey: Series] = [:]
        var models: LabelValueBound<String>
        var profiles: LabelValueBound<UUID>
    }

    private struct SeriesKey: Hashable {
        var provider: String
        var model: String
        var profile: ProfileLabel
        var status: Int
    }

    /// `profile_id`: `none` when the request named no profile, `other` for one not admitted.
    private enum ProfileLabel: Hashable {
        case none, other
        case id(UUID)

        var value: String {
            switch self {
            case .none: "none"
            case .other: LabelValueBound<UUID>.overflow
            case .id(let id): id.uuidString.lowercased()
            }
        }
    }

    /// - Parameters:
    ///   - modelCapacity: how many distinct model names may become label values.
    ///   - profileCapacity: how many distinct profile ids may become label values.
    package init(registry: PrometheusCollectorRegistry, modelCapacity: Int = 200, profileCapacity: Int = 1_000) {
        self.registry = registry
        self.state = Mutex(State(models: LabelValueBound(capacity: modelCapacity), profiles: LabelValueBound(capacity: profileCapacity)))
    }

    // MARK: Recording

    package func requestEnded(_ record: RequestLogRecord) {
        let series = self.series(for: record)
        series.requests.increment()
        series.duration.record(record.elapsed)
        let usage = record.usage
        if let input = usage.inputTokens, input > 0 { series.inputTokens.increment(by: Int64(input)) }
        if let output = usage.outputTokens, output > 0 { series.outputTokens.increment(by: Int64(output)) }
        if let reasoning = usage.reasoningTokens, reasoning > 0 { series.reasoningTokens.increment(by: Int64(reasoning)) }
        if let read = usage.cacheReadTokens, read > 0 { series.cacheReadTokens.increment(by: Int64(read)) }
        if let write = usage.cacheWriteTokens, write > 0 { series.cacheWriteTokens.increment(by: Int64(write)) }
        if let cost = record.cost {
            series.cost.increment(by: Self.double(cost.total))
            if cost.cache != 0 { series.cacheCost.increment(by: Self.double(cost.cache)) }
            if cost.savings != 0 { series.cacheSavings.increment(by: Self.double(cost.savings)) }
        }
        if !record.blockedToolCalls.isEmpty { series.blockedTools.increment(by: Int64(record.blockedToolCalls.count)) }
        if let firstMessage = record.firstMessageLatency {
            series.timeToFirstToken.record(firstMessage)
            // Output tokens over the stream's own time, after its first message (GATEWAY.md §6).
            let streaming = record.elapsed - firstMessage
            if let output = usage.outputTokens, output > 0, streaming > .milliseconds(1) {
                series.tokensPerSecond.record(Double(output) / Self.seconds(streaming))
            }
        }
    }

    private func series(for record: RequestLogRecord) -> Series {
        let provider = record.providerID ?? "unknown"
        let upstreamAccepted = record.upstreamStatus.map { (200..<300).contains($0) } ?? false
        return self.state.withLock { state in
            var key = SeriesKey(provider: provider, model: "unknown", profile: .none, status: record.status ?? 0)
            if let model = record.model {
                key.model = LabelValueBound<String>.isClean(model) && state.models.admits(model, mayAdmit: upstreamAccepted) ? model : LabelValueBound<String>.overflow
            }
            if let profile = record.profileID {
                key.profile = state.profiles.admits(profile, mayAdmit: upstreamAccepted) ? .id(profile) : .other
            }
            if let existing = state.series[key] { return existing }
            let made = Series(key: key, registry: self.registry)
            state.series[key] = made
            return made
        }
    }

    // MARK: Scrape-time gauges

    /// A gauge set from `read` just before each scrape.
    package func sample(_ name: String, help: String, _ read: @escaping @Sendable () -> Int) {
        let gauge = self.registry.makeGauge(descriptor: Self.descriptor(name, help), labels: [])
        self.sampledGauges.withLock { $0.append((gauge, read)) }
    }

    /// Updates the sampled gauges; called by the scrape endpoint before it renders.
    package func collect() {
        let sampled = self.sampledGauges.withLock { $0 }
        for (gauge, read) in sampled { gauge.set(Double(read())) }
    }

    // MARK: Series

    /// The instruments of one label set, made once. Instruments without `status_code` are shared
    /// between the statuses of a label set: the registry hands back the same object.
    private final class Series: Sendable {
        let requests: Counter
        let duration: DurationHistogram
        let inputTokens, outputTokens, reasoningTokens: Counter
        let cacheReadTokens, cacheWriteTokens: Counter
        let cost, cacheCost, cacheSavings: Counter
        let blockedTools: Counter
        let timeToFirstToken: DurationHistogram
        let tokensPerSecond: ValueHistogram

        init(key: SeriesKey, registry: PrometheusCollectorRegistry) {
            let base = [("provider", key.provider), ("model", key.model), ("profile_id", key.profile.value)]
            let withStatus = base + [("status_code", key.status == 0 ? "none" : String(key.status))]
            self.requests = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.requests, MetricHelp.requests), labels: withStatus)
            self.duration = registry.makeDurationHistogram(descriptor: RequestMetrics.descriptor(MetricName.requestDuration, MetricHelp.requestDuration), labels: withStatus, buckets: Buckets.requestDuration)
            self.inputTokens = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.tokens, MetricHelp.tokens), labels: base + [("type", "input")])
            self.outputTokens = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.tokens, MetricHelp.tokens), labels: base + [("type", "output")])
            self.reasoningTokens = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.tokens, MetricHelp.tokens), labels: base + [("type", "reasoning")])
            self.cacheReadTokens = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.cacheTokens, MetricHelp.cacheTokens), labels: base + [("cache_type", "read")])
            self.cacheWriteTokens = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.cacheTokens, MetricHelp.cacheTokens), labels: base + [("cache_type", "write")])
            self.cost = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.cost, MetricHelp.cost), labels: base)
            self.cacheCost = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.cacheCost, MetricHelp.cacheCost), labels: base)
            self.cacheSavings = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.cacheSavings, MetricHelp.cacheSavings), labels: base)
            self.blockedTools = registry.makeCounter(descriptor: RequestMetrics.descriptor(MetricName.blockedTools, MetricHelp.blockedTools), labels: base)
            self.timeToFirstToken = registry.makeDurationHistogram(descriptor: RequestMetrics.descriptor(MetricName.timeToFirstToken, MetricHelp.timeToFirstToken), labels: base, buckets: Buckets.timeToFirstToken)
            self.tokensPerSecond = registry.makeValueHistogram(descriptor: RequestMetrics.descriptor(MetricName.tokensPerSecond, MetricHelp.tokensPerSecond), labels: base, buckets: Buckets.tokensPerSecond)
        }
    }

    /// A full metric name and its `# HELP` text, as the registry takes them.
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    private static func double(_ decimal: Decimal) -> Double {
        NSDecimalNumber(decimal: decimal).doubleValue
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// The metric names, as Archestra's (GATEWAY.md §6), so its dashboards carry over.
package enum MetricName {
    package static let requests = "llm_requests_total"
    package static let requestDuration = "llm_request_duration_seconds"
    package static let tokens = "llm_tokens_total"
    package static let cacheTokens = "llm_cache_tokens_total"
    package static let cost = "llm_cost_total"
    package static let cacheCost = "llm_cache_cost_total"
    package static let cacheSavings = "llm_cache_savings_total"
    package static let blockedTools = "llm_blocked_tools_total"
    package static let timeToFirstToken = "llm_time_to_first_token_seconds"
    package static let tokensPerSecond = "llm_tokens_per_second"
    package static let requestsInFlight = "archestra_requests_in_flight"
    package static let upstreamRequestsAwaitingHead = "archestra_upstream_requests_awaiting_head"
}

enum MetricHelp {
    static let requests = "Proxied LLM requests, by final status."
    static let requestDuration = "Time from a request's arrival to the end of its response (streams included)."
    static let tokens = "Tokens the upstream reported: uncached input, output, and the reasoning part of output."
    static let cacheTokens = "Prompt-cache tokens the upstream reported, read and written."
    static let cost = "What the requests cost, in US dollars, cache included."
    static let cacheCost = "The part of llm_cost_total spent reading and writing the prompt cache, in US dollars."
    static let cacheSavings = "What the prompt cache and optimisation rules saved, in US dollars (net, may be negative)."
    static let blockedTools = "Tool calls blocked by tool-invocation policies."
    static let timeToFirstToken = "Time from a streamed request's arrival to its first message written to the client."
    static let tokensPerSecond = "Output tokens per second of a stream, after its first message."
}

enum Buckets {
    static let requestDuration: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]
    static let timeToFirstToken: [Duration] = [
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2), .seconds(5), .seconds(10), .seconds(30),
    ]
    static let tokensPerSecond: [Double] = [1, 5, 10, 25, 50, 100, 200, 400, 800, 1600]
}
