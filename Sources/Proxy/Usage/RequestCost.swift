package import Foundation

/// What one request cost in US dollars, from its ``TokenUsage`` and the model's price.
///
/// Decimal, not floating point: limits compare sums of many small amounts (a limit below one
/// cent is valid), and those sums must not drift.
package struct RequestCost: Sendable, Equatable {
    /// Everything the request cost, cache reads and writes included.
    package var total: Decimal
    /// The part of ``total`` spent on reading and writing the provider's prompt cache.
    package var cache: Decimal
    /// What the request would have cost more without the prompt cache, or on the model the
    /// client asked for before an optimisation rule changed it.
    package var savings: Decimal

    package init(total: Decimal, cache: Decimal = 0, savings: Decimal = 0) {
        self.total = total
        self.cache = cache
        self.savings = savings
    }
}
