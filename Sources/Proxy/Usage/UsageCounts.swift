import Foundation
import WireFormats

/// The integer counts of a usage object (`usage`, `usageMetadata`, `billed_units`), whatever the
/// dialect: only the keys some dialect reads are decoded, and of the nested details objects
/// (`prompt_tokens_details`, …) only the counts some dialect reads, under `"<object>.<key>"`.
package struct UsageCounts: Decodable, Sendable {
    private var counts: [String: Int] = [:]

    /// Every top-level key a dialect's usage reader asks for.
    private static let keys = [
        "prompt_tokens", "completion_tokens", "input_tokens", "output_tokens",
        "cache_creation_input_tokens", "cache_read_input_tokens",
        "promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount",
    ]

    /// The nested details a dialect reads: OpenAI Chat Completions' cached and reasoning tokens,
    /// and the Responses API's.
    private static let nestedKeys: [(object: String, key: String)] = [
        ("prompt_tokens_details", "cached_tokens"),
        ("completion_tokens_details", "reasoning_tokens"),
        ("input_tokens_details", "cached_tokens"),
        ("output_tokens_details", "reasoning_tokens"),
    ]

    /// The members read; the others (a provider's timings, costs, flags) are checked and skipped.
    static let memberNames = Set(Self.keys + Self.nestedKeys.map(\.object))

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
        for (object, key) in Self.nestedKeys {
            // `null` or a non-object details value is skipped like a non-integer count.
            guard let details = try? container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: object)),
                let count = try? details.decodeIfPresent(Int.self, forKey: Key(stringValue: key))
            else { continue }
            self.counts["\(object).\(key)"] = count
        }
    }

    package subscript(key: String) -> Int? { self.counts[key] }

    /// The counts of the usage object `bytes` hold (from its `{` to its `}`); `nil` when they are
    /// not one JSON object.
    ///
    /// Read by ``SmallJSONObject`` when it can (nearly every answer), else by `JSONDecoder` (a
    /// count that is a fraction, a details object nested deeper than the reader reads): the decoder
    /// was 6% of the proxy's CPU a request, nearly all of it in this one object
    /// (docs/benchmarks.md). Both read the same counts (`UsageCountsTests`).
    package static func read(_ bytes: UnsafeRawBufferPointer) -> UsageCounts? {
        guard let object = SmallJSONObject.members(Self.memberNames, of: bytes) else {
            return try? JSONDecoder().decode(UsageCounts.self, from: Data(bytes))
        }
        var usage = UsageCounts()
        for key in Self.keys {
            if case .int(let count)? = object[key] { usage.counts[key] = count }
        }
        for (name, key) in Self.nestedKeys {
            if case .object(let details)? = object[name], case .int(let count)? = details[key] {
                usage.counts["\(name).\(key)"] = count
            }
        }
        return usage
    }

    private init() {}
}
