import Foundation
import Testing
import WireFormats

@testable import RouterTranslation

/// The stream-event reader is only a faster path: where it answers it must read what
/// `JSONDecoder` reads, and it must never accept what the decoder refuses.
@Suite("StreamEventJSON")
struct StreamEventJSONTests {
    /// What the reader reads, as a JSONValue, beside what the decoder reads.
    private static func readBoth(_ bytes: [UInt8]) -> (reader: JSONValue?, decoder: JSONValue?) {
        let data = Data(bytes)
        return (StreamEventJSON.object(data).map { JSONValue.object($0) }, try? JSONDecoder().decode(JSONValue.self, from: data))
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
        func object(depth: Int) -> String {
            var keys = Set<String>()
            var members: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let key = "k\(Int.random(in: 0...20, using: &generator))"
                guard keys.insert(key).inserted else { continue }
                let value: String
                switch Int.random(in: 0..<(depth < StreamEventJSON.maximumDepth ? 4 : 3), using: &generator) {
                case 0: value = string()
                case 1: value = String(Int.random(in: Int.min...Int.max, using: &generator))
                case 2: value = String(Int.random(in: -9...9, using: &generator))
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
            "\"a\":", "\"", "\\",
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

    @Test("every text, thinking, signature and tool-input delta of the real Anthropic captures reads as the decoder reads it")
    func anthropicCaptures() throws {
        let captures = [
            AnthropicCaptures.streamText, AnthropicCaptures.streamThinking, AnthropicCaptures.streamToolUseNoArguments,
            AnthropicCaptures.streamTextThenToolUse, AnthropicCaptures.streamToolResultAnswer,
        ]
        var fast = 0
        for capture in captures {
            for line in capture.split(separator: "\n") {
                let payload = line.hasPrefix("data:") ? line.dropFirst(5) : line
                guard payload.contains("\"type\"") else { continue }
                let data = Data(payload.utf8)
                let decoded = try JSONDecoder().decode(AnthropicStreamEvent.self, from: data)
                guard let read = try? AnthropicStreamEvent(contentBlockDelta: data) else {
                    #expect(decoded.type != "content_block_delta", "\(payload)")
                    continue
                }
                fast += 1
                #expect(read.type == decoded.type && read.index == decoded.index)
                #expect(read.delta?.type == decoded.delta?.type && read.delta?.text == decoded.delta?.text)
                #expect(read.delta?.thinking == decoded.delta?.thinking && read.delta?.partialJSON == decoded.delta?.partialJSON)
            }
        }
        #expect(fast >= 20)
    }

    @Test("an Anthropic delta carrying a member the fast path does not map is left to the decoder")
    func anthropicUnmappedMembers() {
        for text in [
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"usage":{"output_tokens":1}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":null}}"#,
            #"{"type":"content_block_delta","index":0.0,"delta":{"type":"text_delta","text":"a"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":["a"]}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#,
        ] {
            #expect((try? AnthropicStreamEvent(contentBlockDelta: Data(text.utf8))) == nil, "\(text)")
        }
    }

    @Test("Bedrock contentBlockDelta payloads — padding, tool input, reasoning — read as the decoder reads them")
    func bedrockDeltas() throws {
        let payloads = [
            #"{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"}"#,
            #"{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\": \"Par"}},"p":"abc"}"#,
            #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Let me think"}},"p":"ab"}"#,
            #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqoBCkgIAR"}}}"#,
            #"{"contentBlockIndex":2,"delta":{"text":"line\nnext \u00e9 \ud83d\ude42"}}"#,
            #"{"contentBlockIndex":0,"delta":{"text":"a","future":{"x":1}}}"#,
        ]
        for payload in payloads {
            let data = Data(payload.utf8)
            let read = try BedrockConverseStreamEvent(contentBlockDelta: data)
            let decoded = try JSONDecoder().decode(BedrockDeltaEnvelope.self, from: data)
            #expect(read == .contentBlockDelta(index: decoded.contentBlockIndex, delta: decoded.delta), "\(payload)")
            #expect(try BedrockConverseStreamEvent(eventType: "contentBlockDelta", payload: data) == read)
        }
        // Shapes the fast path leaves to the decoder, which then decides.
        #expect((try? BedrockConverseStreamEvent(contentBlockDelta: Data(#"{"contentBlockIndex":0,"delta":{"toolUse":{}}}"#.utf8))) == nil)
        #expect(throws: (any Error).self) { try BedrockConverseStreamEvent(eventType: "contentBlockDelta", payload: Data(#"{"contentBlockIndex":0,"delta":{"toolUse":{}}}"#.utf8)) }
        #expect((try? BedrockConverseStreamEvent(contentBlockDelta: Data(#"{"contentBlockIndex":0,"delta":{"text":"a"},"flag":true}"#.utf8))) == nil)
        #expect(try BedrockConverseStreamEvent(eventType: "contentBlockDelta", payload: Data(#"{"contentBlockIndex":0,"delta":{"text":"a"},"flag":true}"#.utf8)) == .contentBlockDelta(index: 0, delta: .init(text: "a")))
    }

    private struct BedrockDeltaEnvelope: Decodable {
        var contentBlockIndex: Int
        var delta: BedrockContentBlockDelta
    }
}
