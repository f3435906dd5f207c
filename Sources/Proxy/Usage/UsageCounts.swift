/// The integer counts of a usage object (`usage`, `usageMetadata`, `billed_units`), whatever the
/// dialect: only the keys some dialect reads are decoded, and nested details are skipped unread.
package struct UsageCounts: Decodable, Sendable {
    private var counts: [String: Int] = [:]

    /// Every key a dialect's usage reader asks for.
    private static let keys = [
        "prompt_tokens", "completion_tokens", "input_tokens", "output_tokens",
        "cache_creation_input_tokens", "cache_read_input_tokens",
        "promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount",
    ]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in Self.keys {
            // A count that is not an integer is left out rather than failing the whole record.
            if let count = try? container.decodeIfPresent(Int.self, forKey: Key(stringValue: key)) {
                self.counts[key] = count
            }
        }
    }

    package subscript(key: String) -> Int? { self.counts[key] }
}
