import Foundation
import NIOCore
import Testing
import TestSupport
import WireFormats

@testable import Proxy

/// `JSONRequestFields.read` checks a request body with ``SmallJSONObject/members(_:of:)`` when it
/// can and `JSONDecoder` otherwise: either way it must accept what the decoder accepts, refuse
/// what it refuses (with the decoder's message), and read the same `model` and `stream`.
@Suite("JSONRequestFields")
struct JSONRequestFieldsTests {
    private enum Outcome: Equatable {
        case fields(model: String?, stream: Bool?)
        case refused(String)
    }

    private static func read(_ bytes: [UInt8]) -> Outcome {
        do {
            let fields = try JSONRequestFields.read(from: ByteBuffer(bytes: bytes))
            return .fields(model: fields.model, stream: fields.stream)
        } catch {
            return .refused(error.message)
        }
    }

    /// What the decoder alone reads (the path `read` took before the strict reader).
    private static func decoded(_ bytes: [UInt8]) -> (model: String?, stream: Bool?)? {
        (try? JSONDecoder().decode(JSONRequestFields.self, from: Data(bytes))).map { ($0.model, $0.stream) }
    }

    private static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let outcome = Self.read(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        switch (outcome, Self.decoded(bytes)) {
        case (.fields(let model, let stream), let decoded?):
            #expect(model == decoded.model && stream == decoded.stream, "\(text)", sourceLocation: sourceLocation)
        case (.refused, nil): break
        default: Issue.record("read \(outcome), the decoder \(String(describing: Self.decoded(bytes))): \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("every request body of the committed cassettes reads as the decoder reads it, nearly all on the strict path")
    func cassettes() throws {
        var bodies: [[UInt8]] = []
        for cassette in try CommittedCassettes.documents() {
            for interaction in (cassette as? [String: Any])?["interactions"] as? [[String: Any]] ?? [] {
                guard let body = (interaction["request"] as? [String: Any])?["body"] as? [String: Any],
                    let data = body["data"] as? String, body["encoding"] as? String != "base64", data.hasPrefix("{")
                else { continue }
                bodies.append(Array(data.utf8))
            }
        }
        var strict = 0
        for body in bodies {
            Self.expectAgreement(body)
            if body.withUnsafeBytes({ SmallJSONObject.members(["model", "stream"], of: $0) }) != nil { strict += 1 }
        }
        #expect(bodies.count >= 40, "found \(bodies.count) JSON request bodies")
        #expect(strict * 10 >= bodies.count * 9, "\(strict) of \(bodies.count) on the strict path")
    }

    @Test("random request-like documents — nesting, numbers of every form, escapes, literals — read as the decoder reads them")
    func randomDocuments() {
        var generator = SeededGenerator(seed: 0x4E0_DE15)
        let numbers = ["0", "-0", "7", "-12", "3.25", "1e3", "1E-7", "-0.5e+2", "123456789012345678901234567890", "1.0"]
        let strings = [#""""#, #""a""#, #""\"q\" \\ \/ \b\f\n\r\t""#, #""\u00e9\ud83d\ude42""#, "\"日本\"", #""gpt-4o""#]
        let spaces = ["", " ", "\n  ", "\t", "\r\n"]
        func space() -> String { spaces.randomElement(using: &generator)! }
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth < 6 ? 7 : 4), using: &generator) {
            case 0: return numbers.randomElement(using: &generator)!
            case 1: return strings.randomElement(using: &generator)!
            case 2: return ["true", "false", "null"].randomElement(using: &generator)!
            case 3: return strings.randomElement(using: &generator)!
            case 4, 5:
                let elements = (0..<Int.random(in: 0...3, using: &generator)).map { _ in space() + value(depth + 1) + space() }
                return "[" + elements.joined(separator: ",") + "]"
            default:
                let members = (0..<Int.random(in: 0...3, using: &generator)).map { index in
                    space() + "\"k\(index)\"" + space() + ":" + space() + value(depth + 1) + space()
                }
                return "{" + members.joined(separator: ",") + "}"
            }
        }
        let models = [#""gpt-4o-mini""#, #""m\u0030del""#, "null", "7", #"["m"]"#, "1.5"]
        let streams = ["true", "false", "null", #""true""#, "1"]
        for _ in 0..<3_000 {
            var members = (0..<Int.random(in: 0...4, using: &generator)).map { index in "\"f\(index)\":" + value(1) }
            if Bool.random(using: &generator) { members.insert(#""model":"# + models.randomElement(using: &generator)!, at: 0) }
            if Bool.random(using: &generator) { members.append(#""stream":"# + streams.randomElement(using: &generator)!) }
            members.shuffle(using: &generator)
            let text = space() + "{" + members.joined(separator: "," + space()) + "}" + space()
            Self.expectAgreement(Array(text.utf8))
        }
    }

    @Test("random byte soup: accepted only as the decoder accepts, refused only as it refuses")
    func byteSoup() {
        var generator = SeededGenerator(seed: 0xB0D1E5)
        let pieces: [String] = [
            "{", "}", "[", "]", ":", ",", " ", #""model""#, #""stream""#, #""m""#, "true", "fals", "null", "01", "-", "1.", ".5", "1e", "1e+2",
            "2.5", #""\u12G4""#, #""\ud800""#, "\"\u{1}\"", #""\x""#, #""é""#, "\"", "\\", "[[[[", "]]]]",
        ]
        for _ in 0..<20_000 {
            var text = "{"
            for _ in 0..<Int.random(in: 0...9, using: &generator) { text += pieces.randomElement(using: &generator)! }
            if Bool.random(using: &generator) { text += "}" }
            Self.expectAgreement(Array(text.utf8))
        }
    }

    @Test("what the decoder refuses is refused with the decoder's message; what it lets pass still passes")
    func refusals() {
        let prefix = "We could not parse the JSON body of your request: "
        #expect(Self.read(Array(#"{"model":"m""#.utf8)) == .refused(prefix + "the body is not valid JSON"))
        #expect(Self.read(Array(#"[1]"#.utf8)) == .refused(prefix + "the body must be a JSON object"))
        #expect(Self.read(Array(#"{"model":7}"#.utf8)) == .refused(prefix + "field 'model' has the wrong type"))
        #expect(Self.read(Array(#"{"stream":"yes"}"#.utf8)) == .refused(prefix + "field 'stream' has the wrong type"))
        // A leading zero is not JSON, and the strict reader leaves the body; the decoder lets it
        // pass where it does not read, as it always has.
        #expect(Self.read(Array(#"{"model":"m","x":01}"#.utf8)) == .fields(model: "m", stream: nil))
    }

    @Test("documents the strict reader leaves to the decoder: deep nesting, a repeated field, a fraction in a field")
    func leftToTheDecoder() {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        for text in [#"{"a":\#(deep),"model":"m"}"#, #"{"model":"a","model":"b"}"#, #"{"stream":1.0}"#] {
            #expect(Array(text.utf8).withUnsafeBytes { SmallJSONObject.members(["model", "stream"], of: $0) } == nil, "\(text)")
            Self.expectAgreement(Array(text.utf8))
        }
    }
}
