package import Foundation

/// What a model costs, in US dollars per million tokens, by the kind of token.
///
/// Decimal throughout: a request's cost is a few millionths of a dollar, limits add up many of
/// them, and binary floating point would drift.
package struct ModelPrice: Sendable, Hashable, Codable {
    /// Uncached input tokens.
    package var input: Decimal
    /// Output tokens, reasoning included.
    package var output: Decimal
    /// Input tokens read from the provider's prompt cache.
    package var cacheRead: Decimal
    /// Input tokens written to the provider's prompt cache.
    package var cacheWrite: Decimal

    package init(input: Decimal, output: Decimal, cacheRead: Decimal, cacheWrite: Decimal) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }

    /// Whether every price is a finite amount of at least zero.
    package var isValid: Bool {
        [self.input, self.output, self.cacheRead, self.cacheWrite].allSatisfy { !$0.isNaN && $0 >= 0 }
    }
}

/// An administrator's price for one model, which wins over ``BuiltInPriceTable``.
package struct ModelPriceOverride: Sendable, Hashable {
    /// The model id as clients send it (`gpt-4o`, `claude-sonnet-4-5-20250929`); also matches
    /// dated and provider-qualified ids that start with it (see ``PriceTable``).
    package var model: String
    package var price: ModelPrice
    package var updatedAt: Date

    package init(model: String, price: ModelPrice, updatedAt: Date) {
        self.model = model
        self.price = price
        self.updatedAt = updatedAt
    }
}
