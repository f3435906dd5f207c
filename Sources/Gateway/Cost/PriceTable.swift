import Foundation

/// The price of a model: an administrator's override, else the built-in list price
/// (``BuiltInPriceTable``), else GATEWAY.md's default of $50 per million tokens ($30 for names
/// containing `-haiku`, `-nano` or `-mini`).
///
/// Model ids are matched after dropping a provider qualifier (`openai/gpt-4o`, the model router's
/// form) and a Bedrock cross-region prefix (`us.`, `eu.`, `apac.`, `global.`), by the longest
/// known id the model's id starts with, followed by nothing or `-`, `:`, `@`, `.`: so
/// `gpt-4o-mini-2024-07-18` is `gpt-4o-mini`, and `claude-sonnet-4-5-20250929` is
/// `claude-sonnet-4-5`. An override matches the same way and wins over any built-in price.
package struct PriceTable: Sendable {
    private let overrides: [String: ModelPrice]

    package init(overrides: [ModelPriceOverride] = []) {
        self.overrides = Dictionary(overrides.map { ($0.model, $0.price) }, uniquingKeysWith: { _, later in later })
    }

    /// The built-in list prices, by model id, for listings.
    package static var builtInModels: [(model: String, price: ModelPrice)] {
        BuiltInPriceTable.prices.map { ($0.key, $0.value) }.sorted { $0.model < $1.model }
    }

    /// Where a price came from, for the admin API and the docs.
    package enum Source: String, Sendable {
        case override, builtIn = "built_in", fallback
    }

    /// The most specific id wins: an override for `gpt-4o` does not price `gpt-4o-mini`, whose
    /// built-in price names it more closely; between equally specific ids the override wins.
    package func price(for model: String, provider: String?) -> (price: ModelPrice, source: Source) {
        let id = Self.normalized(model)
        let override = Self.longestMatch(id, in: self.overrides) ?? (id == model ? nil : Self.longestMatch(model, in: self.overrides))
        let builtIn = Self.longestMatch(id, in: BuiltInPriceTable.prices)
        if let override, override.length >= (builtIn?.length ?? 0) { return (override.price, .override) }
        if let builtIn { return (builtIn.price, .builtIn) }
        return (Self.fallback(for: id, provider: provider), .fallback)
    }

    /// GATEWAY.md §5: $50 per million tokens, $30 for small models; cache prices as multiples of
    /// the input price by provider (Anthropic and Bedrock read 0.1× and write 1.25×, OpenAI and
    /// Gemini read 0.25×, DeepSeek reads 0.1×).
    static func fallback(for model: String, provider: String?) -> ModelPrice {
        let small = ["-haiku", "-nano", "-mini"].contains { model.contains($0) }
        let base: Decimal = small ? 30 : 50
        switch provider {
        case "anthropic", "bedrock":
            return ModelPrice(input: base, output: base, cacheRead: base * Decimal(string: "0.1")!, cacheWrite: base * Decimal(string: "1.25")!)
        case "openai", "gemini", "azure", "vertex":
            return ModelPrice(input: base, output: base, cacheRead: base * Decimal(string: "0.25")!, cacheWrite: base)
        case "deepseek":
            return ModelPrice(input: base, output: base, cacheRead: base * Decimal(string: "0.1")!, cacheWrite: base)
        default:
            return ModelPrice(input: base, output: base, cacheRead: base, cacheWrite: base)
        }
    }

    /// `openai/gpt-4o` → `gpt-4o`; `us.anthropic.claude-…` → `anthropic.claude-…`.
    static func normalized(_ model: String) -> String {
        var id = Substring(model)
        if let slash = id.firstIndex(of: "/") { id = id[id.index(after: slash)...] }
        for prefix in ["us.", "eu.", "apac.", "global.", "us-gov."] where id.hasPrefix(prefix) {
            id = id.dropFirst(prefix.count)
            break
        }
        return String(id)
    }

    private static func longestMatch(_ id: String, in table: [String: ModelPrice]) -> (length: Int, price: ModelPrice)? {
        if let exact = table[id] { return (id.count, exact) }
        var best: (length: Int, price: ModelPrice)?
        for (key, price) in table where id.hasPrefix(key) && key.count > (best?.length ?? 0) {
            let next = id[id.index(id.startIndex, offsetBy: key.count)]
            if next == "-" || next == ":" || next == "@" || next == "." { best = (key.count, price) }
        }
        return best
    }
}
