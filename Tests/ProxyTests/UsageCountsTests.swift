import Foundation
import NIOCore
import Testing
import TestSupport
import WireFormats

@testable import Proxy

/// `UsageCounts.read` takes ``SmallJSONObject``'s fast path where it can and `JSONDecoder`
/// otherwise: whichever answers, the counts must be the ones the decoder reads.
@Suite("UsageCounts")
struct UsageCountsTests {
    /// Every key and nested key a dialect reads, with what each reader found.
    private static let readKeys = [
        "prompt_tokens", "completion_tokens", "input_tokens", "output_tokens", "cache_creation_input_tokens",
        "cache_read_input_tokens", "promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount",
        "prompt_tokens_details.cached_tokens", "completion_tokens_details.reasoning_tokens",
        "input_tokens_details.cached_tokens", "output_tokens_details.reasoning_tokens",
    ]

    private static func both(_ text: String) -> (read: [String: Int]?, decoded: [String: Int]?) {
        let bytes = Array(text.utf8)
        let read = bytes.withUnsafeBytes { UsageCounts.read($0) }
        let decoded = try? JSONDecoder().decode(UsageCounts.self, from: Data(bytes))
        func table(_ usage: UsageCounts?) -> [String: Int]? {
            usage.map { usage in Dictionary(uniqueKeysWithValues: Self.readKeys.compactMap { key in usage[key].map { (key, $0) } }) }
        }
        return (table(read), table(decoded))
    }

    @Test("every usage object of the committed cassettes reads the counts the decoder reads, most of them on the fast path")
    func cassettes() throws {
        var objects: [String] = []
        // Every string of every cassette (bodies, stream frames) scanned for the three usage keys.
        func strings(_ value: Any) {
            switch value {
            case let text as String: objects += Self.usageObjects(in: text)
            case let array as [Any]: array.forEach(strings)
            case let object as [String: Any]: object.values.forEach(strings)
            default: break
            }
        }
        try CommittedCassettes.documents().forEach(strings)
        var fast = 0
        for object in objects {
            let (read, decoded) = Self.both(object)
            #expect(read != nil && read == decoded, "\(object)")
            if Array(object.utf8).withUnsafeBytes({ SmallJSONObject.members(UsageCounts.memberNames, of: $0) }) != nil { fast += 1 }
        }
        #expect(objects.count >= 40, "found \(objects.count) usage objects")
        #expect(fast * 10 >= objects.count * 9, "\(fast) of \(objects.count) on the fast path")
    }

    /// The usage objects in `text`, as the scanner finds them (the last of each key in each line,
    /// so every SSE frame counts).
    private static func usageObjects(in text: String) -> [String] {
        text.split(separator: "\n").flatMap { line in
            ["usage", "usageMetadata", "billed_units"].compactMap { key in
                JSONObjectScanner.lastObject(forKey: key, in: ByteBuffer(string: String(line))) { String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    @Test("counts of every type and shape — null, strings, fractions, nested details, arrays, escaped keys — as the decoder reads them")
    func shapes() {
        for text in [
            #"{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}"#,
            #"{"prompt_tokens":null,"completion_tokens":"7","input_tokens":1.0,"output_tokens":2.5,"cache_read_input_tokens":-3}"#,
            #"{"prompt_tokens_details":null,"completion_tokens_details":{"reasoning_tokens":null},"input_tokens_details":[1]}"#,
            #"{"prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},"output_tokens_details":{"reasoning_tokens":"9"}}"#,
            #"{"promptTokenCount":3,"promptTokensDetails":[{"modality":"TEXT","tokenCount":3}],"thoughtsTokenCount":2}"#,
            #"{"queue_time":0.01,"prompt_tokens":10,"is_byok":false,"cost_details":{"upstream_inference_cost":null}}"#,
            #"{"\u0070rompt_tokens":6,"input_tokens":99999999999999999999}"#,
            #"{"input_tokens":1,"input_tokens":2}"#,
            #"{ "output_tokens" : 8 , "service_tier" : "standard" }"#,
            #"{"a":{"b":{"c":{"d":{"e":1}}}},"input_tokens":4}"#,
            #"{}"#,
            // A lone surrogate the fast path refuses, in a string the decoder does not read.
            #"{"a":"\ud800","input_tokens":3}"#,
        ] {
            let (read, decoded) = Self.both(text)
            #expect(read == decoded, "\(text)")
            #expect(read != nil, "\(text)")
        }
    }

    @Test("bytes that are not one JSON object read as no usage, as with the decoder")
    func malformed() {
        for text in [#"{"prompt_tokens":5"#, #"{"prompt_tokens":}"#, #"{"a":1} {"#, "[1]", ""] {
            let (read, decoded) = Self.both(text)
            #expect(read == nil && decoded == nil, "\(text)")
        }
    }

    @Test("random usage-like objects read the counts the decoder reads")
    func random() {
        var generator = SeededGenerator(seed: 0x05A6E)
        let keys = Self.readKeys.filter { !$0.contains(".") } + ["total_tokens", "cost", "prompt_tokens_details", "completion_tokens_details"]
        let values = ["0", "7", "-1", "1.5", "2.0", "1e2", "null", "true", "\"3\"", "[]", "[4]", "{}", #"{"cached_tokens":3}"#,
                      #"{"reasoning_tokens":2,"x":null}"#, #"{"cached_tokens":1.0}"#, "9223372036854775807", "9223372036854775808"]
        for _ in 0..<2_000 {
            let members = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                "\"\(keys.randomElement(using: &generator)!)\":\(values.randomElement(using: &generator)!)"
            }
            let text = "{" + members.joined(separator: ",") + "}"
            let (read, decoded) = Self.both(text)
            #expect(read == decoded, "\(text)")
        }
    }
}
