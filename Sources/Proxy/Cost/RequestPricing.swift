import Foundation
package import Gateway

/// Prices a finished request from its ``TokenUsage`` (GATEWAY.md §5): uncached input, cache
/// reads, cache writes and output, each at its price per million tokens.
///
/// `cache` is what the cache reads and writes cost; `savings` is what the cache saved (reads
/// below the input price, less writes above it: it may be negative), plus, when an optimisation
/// rule changed the model, what the client's own model would have cost more.
package struct RequestPricing: Sendable {
    private let prices: @Sendable () -> PriceTable

    /// `prices` is read once per request, from memory (``CostLedger/currentPriceTable``).
    package init(prices: @escaping @Sendable () -> PriceTable) {
        self.prices = prices
    }

    /// Sets `record.cost`, unless the record has no model or its answer reported no usage.
    package func price(_ record: inout RequestLogRecord) {
        guard let model = record.model, !record.usage.isEmpty else { return }
        let table = self.prices()
        var cost = Self.cost(of: record.usage, at: table.price(for: model, provider: record.providerID).price)
        if let baseline = record.baselineModel, baseline != model {
            let baselineCost = Self.cost(of: record.usage, at: table.price(for: baseline, provider: record.providerID).price)
            cost.savings += baselineCost.total - cost.total
        }
        record.cost = cost
    }

    /// Prices are per million tokens. Multiplying by 10⁻⁶ only moves the exponent, where dividing
    /// by a million ran Decimal's long division three times a request (1.3% of the proxy's CPU).
    private static let perMillion = Decimal(sign: .plus, exponent: -6, significand: 1)

    package static func cost(of usage: TokenUsage, at price: ModelPrice) -> RequestCost {
        let uncached = Decimal(usage.uncachedInputTokens ?? 0)
        let read = Decimal(usage.cacheReadTokens ?? 0)
        let write = Decimal(usage.cacheWriteTokens ?? 0)
        let output = Decimal(usage.outputTokens ?? 0)
        let cache = (read * price.cacheRead + write * price.cacheWrite) * perMillion
        let total = (uncached * price.input + output * price.output) * perMillion + cache
        let savings = (read * (price.input - price.cacheRead) - write * (price.cacheWrite - price.input)) * perMillion
        return RequestCost(total: total, cache: cache, savings: savings)
    }
}
