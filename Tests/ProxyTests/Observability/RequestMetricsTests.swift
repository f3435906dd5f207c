import Foundation
import Prometheus
import Proxy
import Testing

/// ``RequestMetrics`` fed records directly: every field lands in its series, and label values
/// stay bounded whatever clients send.
@Suite
struct RequestMetricsTests {
    static func record(
        model: String?, upstreamStatus: Int? = 200, status: Int = 200, profile: UUID? = nil, usage: TokenUsage = TokenUsage()
    ) -> RequestLogRecord {
        // Arrived two seconds ago: a stream's time after its first message is measurable.
        var record = RequestLogRecord(method: "POST", nativePath: "/v1/chat/completions", start: .now - .seconds(2))
        record.providerID = "openai"
        record.model = model
        record.upstreamStatus = upstreamStatus
        record.status = status
        record.profileID = profile
        record.usage = usage
        return record
    }

    static func scrape(_ registry: PrometheusCollectorRegistry) -> Scrape {
        Scrape(text: registry.emitToString())
    }

    @Test("tokens by type, cache tokens, cost, blocked tools, time to first token and tokens per second")
    func everyField() {
        let registry = PrometheusCollectorRegistry()
        let metrics = RequestMetrics(registry: registry)
        var record = Self.record(
            model: "claude-sonnet-4-5", usage: TokenUsage(inputTokens: 100, outputTokens: 40, cacheReadTokens: 7, cacheWriteTokens: 3, reasoningTokens: 12))
        record.cost = RequestCost(total: Decimal(string: "0.0125")!, cache: Decimal(string: "0.0005")!, savings: Decimal(string: "0.002")!)
        record.blockedToolCalls = ["delete_everything", "rm"]
        record.firstMessageLatency = .milliseconds(1)
        metrics.requestEnded(record)
        metrics.requestEnded(Self.record(model: "claude-sonnet-4-5", usage: TokenUsage(inputTokens: 1, outputTokens: 2)))

        let scrape = Self.scrape(registry)
        let labels = ["provider": "openai", "model": "claude-sonnet-4-5", "profile_id": "none"]
        #expect(scrape.value("llm_requests_total", labels.merging(["status_code": "200"]) { $1 }) == 2)
        #expect(scrape.value("llm_tokens_total", labels.merging(["type": "input"]) { $1 }) == 101)
        #expect(scrape.value("llm_tokens_total", labels.merging(["type": "output"]) { $1 }) == 42)
        #expect(scrape.value("llm_tokens_total", labels.merging(["type": "reasoning"]) { $1 }) == 12)
        #expect(scrape.value("llm_cache_tokens_total", labels.merging(["cache_type": "read"]) { $1 }) == 7)
        #expect(scrape.value("llm_cache_tokens_total", labels.merging(["cache_type": "write"]) { $1 }) == 3)
        #expect(scrape.value("llm_cost_total", labels) == 0.0125)
        #expect(scrape.value("llm_cache_cost_total", labels) == 0.0005)
        #expect(scrape.value("llm_cache_savings_total", labels) == 0.002)
        #expect(scrape.value("llm_blocked_tools_total", labels) == 2)
        #expect(scrape.value("llm_time_to_first_token_seconds_count", labels) == 1)
        #expect(scrape.value("llm_tokens_per_second_count", labels) == 1)
        // 40 output tokens over about 1.999 s: the 20-per-second bucket's neighbours tell.
        #expect(scrape.value("llm_tokens_per_second_bucket", labels.merging(["le": "10.0"]) { $1 }) == 0)
        #expect(scrape.value("llm_tokens_per_second_bucket", labels.merging(["le": "25.0"]) { $1 }) == 1)
        #expect(scrape.text.contains("# HELP llm_tokens_total "))
    }

    @Test("models and profiles become label values only once the upstream answered one of their requests 2xx, up to a cap; the rest are other")
    func boundedLabels() {
        let registry = PrometheusCollectorRegistry()
        let metrics = RequestMetrics(registry: registry, modelCapacity: 2, profileCapacity: 1)
        let known = UUID(), madeUp = UUID()
        // Refused before or by the upstream: never admitted.
        metrics.requestEnded(Self.record(model: "made-up-1", upstreamStatus: nil, status: 401, profile: madeUp))
        metrics.requestEnded(Self.record(model: "made-up-2", upstreamStatus: 404, status: 404))
        // Answered: admitted, until the cap.
        metrics.requestEnded(Self.record(model: "gpt-4o", profile: known))
        metrics.requestEnded(Self.record(model: "gpt-4o-mini", profile: madeUp))
        metrics.requestEnded(Self.record(model: "o3"))
        // A failure of an admitted model keeps its name.
        metrics.requestEnded(Self.record(model: "gpt-4o", upstreamStatus: 500, status: 500, profile: known))
        // Not a model id: never a label value.
        metrics.requestEnded(Self.record(model: "bad\"model\nname"))

        let scrape = Self.scrape(registry)
        let models = Set(scrape.series("llm_requests_total").compactMap { $0["model"] })
        #expect(models == ["gpt-4o", "gpt-4o-mini", "other"])
        let profiles = Set(scrape.series("llm_requests_total").compactMap { $0["profile_id"] })
        #expect(profiles == [known.uuidString.lowercased(), "other", "none"])
        #expect(scrape.value("llm_requests_total", ["model": "other"]) == 4)
        #expect(scrape.value("llm_requests_total", ["model": "gpt-4o", "status_code": "500"]) == 1)
        #expect(!scrape.text.contains("made-up"))
    }
}
