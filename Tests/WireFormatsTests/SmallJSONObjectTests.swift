import Foundation
import Testing
import TestSupport
import WireFormats

/// The small-object reader is only a faster path: where it answers it must read what
/// `JSONDecoder` reads, and it must never accept what the decoder refuses.
@Suite("SmallJSONObject")
struct SmallJSONObjectTests {
    /// What the reader reads, as a JSONValue, beside what the decoder reads.
    private static func readBoth(_ bytes: [UInt8]) -> (reader: JSONValue?, decoder: JSONValue?) {
        let data = Data(bytes)
        return (SmallJSONObject.object(data).map { JSONValue.object($0) }, try? JSONDecoder().decode(JSONValue.self, from: data))
    }

    @Test("random valid objects — escapes, surrogate pairs, nesting, whitespace — read as the decoder reads them")
    func validObjects() {
        var generator = SeededGenerator(seed: 0xE7E47)
        let characters: [String] = ["a", "Z", " ", "é", "日", "🙂", "\\\"", "\\\\", "\\/", "\\n", "\\r", "\\t", "\\b", "\\f", "\\u0000", "\\u001f", "\\u00e9", "\\u65E5", "\\ud83d\\ude42", "/", "\u{7F}"]
        let spaces = ["", " ", "\n", "\t ", "\r\n"]
        func string() -> String {
            "\"" + (0..<Int.random(in: 0...8, using: &generator)).map { _ in characters.randomElement(using: &generator)! }.joined() + "\""
        }
        func space() -> String { spaces.randomElement(using: &generator)! }
        func scalar() -> String {
            [string(), String(Int.random(in: -99...99, using: &generator)), "true", "false", "null"].randomElement(using: &generator)!
        }
        func array(depth: Int) -> String {
            let elements = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                space() + (depth < SmallJSONObject.maximumDepth && Bool.random(using: &generator) ? object(depth: depth + 1) : scalar()) + space()
            }
            return "[" + elements.joined(separator: ",") + space() + "]"
        }
        func object(depth: Int) -> String {
            var keys = Set<String>()
            var members: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let key = "k\(Int.random(in: 0...20, using: &generator))"
                guard keys.insert(key).inserted else { continue }
                let value: String
                switch Int.random(in: 0..<(depth < SmallJSONObject.maximumDepth ? 6 : 4), using: &generator) {
                case 0: value = string()
                case 1: value = String(Int.random(in: Int.min...Int.max, using: &generator))
                case 2: value = String(Int.random(in: -9...9, using: &generator))
                case 3: value = ["true", "false", "null"].randomElement(using: &generator)!
                case 4: value = array(depth: depth + 1)
                default: value = object(depth: depth + 1)
                }
                members.append(space() + "\"\(key)\"" + space() + ":" + space() + value + space())
            }
            return "{" + members.joined(separator: ",") + space() + "}"
        }
        for _ in 0..<2_000 {
            let text = space() + object(depth: 1) + space()
            let (reader, decoder) = Self.readBoth(Array(text.utf8))
            #expect(reader != nil, "\(text)")
            #expect(reader == decoder, "\(text)")
        }
    }

    @Test("random byte soup: the reader never accepts what the decoder refuses, and agrees where it accepts")
    func byteSoup() {
        var generator = SeededGenerator(seed: 0x50_0B)
        let pieces: [[UInt8]] = [
            "{", "}", "\"a\"", "\"t\\u00e9\"", "\"\\ud83d\\ude42\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\uZZZZ\"", "\"\\x\"", ":", ",", "1", "-0", "01",
            "-", "1.5", "1e3", "true", "null", "[]", " ", "\"\u{1}\"", "\"é\"", "9223372036854775808", "-9223372036854775808", "{\"a\":1}",
            "\"a\":", "\"", "\\", "[", "]", "[1,", "tru", "nul", "falsey", "[[[[[1]]]]]",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = Array("{".utf8)
            for _ in 0..<Int.random(in: 0...8, using: &generator) { bytes += pieces.randomElement(using: &generator)! }
            if Bool.random(using: &generator) { bytes += Array("}".utf8) }
            let (reader, decoder) = Self.readBoth(bytes)
            if reader != nil { accepted += 1 }
            #expect(reader == nil || reader == decoder, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(accepted > 100)
    }

    @Test("shapes it leaves to the decoder: fractions, exponents, duplicate keys, nesting past its depth, trailing bytes")
    func declined() {
        for text in [
            #"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":1,"a":2}"#, #"{"a":[[[[1]]]]}"#, #"{"a":{"b":{"c":{"d":{}}}}}"#, #"{"a":1} x"#,
            #"{"a":tru}"#, #"{"a":nulls}"#, #"{"a":[1,]}"#, #"[1]"#,
        ] {
            #expect(SmallJSONObject.object(Data(text.utf8)) == nil, "\(text)")
        }
        #expect(SmallJSONObject.object(Data(#"{"a":[[[1]]],"b":[],"c":{"d":{"e":null}},"t":true,"f":false}"#.utf8)) == [
            "a": [[[1]]], "b": [], "c": ["d": ["e": nil]], "t": true, "f": false,
        ])
    }

    @Test("members: the named top-level members of a document checked whole; every RFC 8259 number skipped, anything else refused")
    func members() {
        func members(_ text: String) -> [String: JSONValue]? {
            Array(text.utf8).withUnsafeBytes { SmallJSONObject.members(["model", "stream"], of: $0) }
        }
        #expect(members(#" {"n":[-0, 0.5, 1e3, 1E-7, -2.5e+10, 123456789012345678901234567890], "model" : "m", "o":{"a":[{}]}, "stream":true} "#)
            == ["model": "m", "stream": true])
        #expect(members(#"{"x":"\u00e9\ud83d\ude42 \"\\\/\b\f\n\r\t"}"#) == [:])
        #expect(members("{}") == [:])
        for text in [
            #"{"x":01}"#, #"{"x":1.}"#, #"{"x":.5}"#, #"{"x":-}"#, #"{"x":1e}"#, #"{"x":1e+}"#, #"{"x":+1}"#, #"{"x":"\ud800"}"#,
            #"{"x":"\q"}"#, "{\"x\":\"\u{1}\"}", #"{"x":[1,]}"#, #"{"x":{"a"}}"#, #"{"model":"a","model":"b"}"#, #"{"model":1.5}"#, #"{} {}"#,
            #"["model"]"#, #"{"x":nul}"#,
        ] {
            #expect(members(text) == nil, "\(text)")
        }
    }
}
