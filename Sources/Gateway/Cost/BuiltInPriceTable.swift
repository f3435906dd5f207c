import Foundation

/// List prices (USD per million tokens) of the models the emulators serve and the reference names,
/// as the providers published them in 2025. Administrators override any of them, or add models,
/// through `/api/model-prices`; models in neither get ``PriceTable/fallback(for:provider:)``.
enum BuiltInPriceTable {
    /// Anthropic's and Bedrock's cache prices: reads at 0.1× input, writes at 1.25×.
    private static func anthropic(_ input: Decimal, _ output: Decimal) -> ModelPrice {
        ModelPrice(input: input, output: output, cacheRead: input * Decimal(string: "0.1")!, cacheWrite: input * Decimal(string: "1.25")!)
    }

    /// A price with an explicit cache-read price and no cache writes (OpenAI, Gemini, DeepSeek).
    private static func cached(_ input: String, _ output: String, read: String) -> ModelPrice {
        ModelPrice(input: Decimal(string: input)!, output: Decimal(string: output)!, cacheRead: Decimal(string: read)!, cacheWrite: Decimal(string: input)!)
    }

    /// Embeddings and models without a cache discount: every input token at the input price.
    private static func flat(_ input: String, _ output: String = "0") -> ModelPrice {
        ModelPrice(input: Decimal(string: input)!, output: Decimal(string: output)!, cacheRead: Decimal(string: input)!, cacheWrite: Decimal(string: input)!)
    }

    static let prices: [String: ModelPrice] = [
        // OpenAI
        "gpt-5": cached("1.25", "10", read: "0.125"),
        "gpt-5-mini": cached("0.25", "2", read: "0.025"),
        "gpt-5-nano": cached("0.05", "0.40", read: "0.005"),
        "gpt-4.1": cached("2", "8", read: "0.50"),
        "gpt-4.1-mini": cached("0.40", "1.60", read: "0.10"),
        "gpt-4.1-nano": cached("0.10", "0.40", read: "0.025"),
        "gpt-4o": cached("2.50", "10", read: "1.25"),
        "gpt-4o-mini": cached("0.15", "0.60", read: "0.075"),
        "o3": cached("2", "8", read: "0.50"),
        "o3-mini": cached("1.10", "4.40", read: "0.55"),
        "o4-mini": cached("1.10", "4.40", read: "0.275"),
        "text-embedding-3-small": flat("0.02"),
        "text-embedding-3-large": flat("0.13"),
        "text-embedding-ada-002": flat("0.10"),
        // Anthropic
        "claude-opus-4-1": anthropic(15, 75),
        "claude-opus-4": anthropic(15, 75),
        "claude-sonnet-4-5": anthropic(3, 15),
        "claude-sonnet-4": anthropic(3, 15),
        "claude-3-7-sonnet": anthropic(3, 15),
        "claude-haiku-4-5": anthropic(1, 5),
        "claude-3-5-haiku": anthropic(Decimal(string: "0.80")!, 4),
        // Gemini
        "gemini-2.5-pro": cached("1.25", "10", read: "0.31"),
        "gemini-2.5-flash": cached("0.30", "2.50", read: "0.075"),
        "gemini-2.5-flash-lite": cached("0.10", "0.40", read: "0.025"),
        "gemini-2.0-flash": cached("0.10", "0.40", read: "0.025"),
        "gemini-embedding-001": flat("0.15"),
        "text-embedding-004": flat("0"),
        "text-embedding-005": flat("0"),
        // Cohere
        "command-a-03-2025": flat("2.50", "10"),
        "command-a-vision-07-2025": flat("2.50", "10"),
        "command-a-reasoning-08-2025": flat("2.50", "10"),
        "command-r-plus-08-2024": flat("2.50", "10"),
        "command-r-08-2024": flat("0.15", "0.60"),
        "command-r7b-12-2024": flat("0.0375", "0.15"),
        "embed-v4.0": flat("0.12"),
        "embed-english-v3.0": flat("0.10"),
        "embed-multilingual-v3.0": flat("0.10"),
        "embed-english-light-v3.0": flat("0.10"),
        // Bedrock (model ids as Bedrock names them)
        "anthropic.claude-sonnet-4-5": anthropic(3, 15),
        "anthropic.claude-sonnet-4": anthropic(3, 15),
        "anthropic.claude-3-5-haiku": anthropic(Decimal(string: "0.80")!, 4),
        "anthropic.claude-haiku-4-5": anthropic(1, 5),
        "amazon.nova-pro-v1": anthropic(Decimal(string: "0.80")!, Decimal(string: "3.20")!),
        "amazon.nova-lite-v1": anthropic(Decimal(string: "0.06")!, Decimal(string: "0.24")!),
        "amazon.nova-micro-v1": anthropic(Decimal(string: "0.035")!, Decimal(string: "0.14")!),
        "meta.llama3-3-70b-instruct-v1": flat("0.72", "0.72"),
        "mistral.pixtral-large-2502-v1": flat("2", "6"),
        "deepseek.r1-v1": flat("1.35", "5.40"),
        "cohere.command-r-plus-v1": flat("3", "15"),
        "amazon.titan-embed-text-v2": flat("0.02"),
        "amazon.titan-embed-text-v1": flat("0.10"),
        "cohere.embed-english-v3": flat("0.10"),
        "cohere.embed-multilingual-v3": flat("0.10"),
        // OpenAI-compatible providers
        "deepseek-chat": cached("0.27", "1.10", read: "0.07"),
        "deepseek-reasoner": cached("0.55", "2.19", read: "0.14"),
        "mistral-large-latest": flat("2", "6"),
        "mistral-small-latest": flat("0.10", "0.30"),
    ]
}
