import Foundation
import Testing
import WireFormats

@testable import RouterTranslation

/// The stream events read by ``SmallJSONObject`` (an Anthropic `content_block_delta`, a Bedrock
/// `contentBlockDelta`): only a faster path, so where it answers it must read what `JSONDecoder`
/// reads, and a member it does not map leaves the event to the decoder.
@Suite("Stream events read by SmallJSONObject")
struct StreamEventReadingTests {
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
            #"{"type":"content_block_delta","index":0.0,"delta":{"type":"text_delta","text":"a"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":["a"]}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#,
        ] {
            #expect((try? AnthropicStreamEvent(contentBlockDelta: Data(text.utf8))) == nil, "\(text)")
        }
        // `null` is an absent optional member, for the decoder and the fast path alike.
        let nullText = Data(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":null}}"#.utf8)
        let read = try? AnthropicStreamEvent(contentBlockDelta: nullText)
        #expect(read?.delta?.type == "text_delta" && read?.delta?.text == nil)
        #expect((try? JSONDecoder().decode(AnthropicStreamEvent.self, from: nullText))?.delta?.text == nil)
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
        // A member it does not map, of any JSON type, is passed over as the decoder passes it over.
        #expect(try BedrockConverseStreamEvent(contentBlockDelta: Data(#"{"contentBlockIndex":0,"delta":{"text":"a"},"flag":true,"n":null,"l":[1]}"#.utf8)) == .contentBlockDelta(index: 0, delta: .init(text: "a")))
        #expect(try BedrockConverseStreamEvent(eventType: "contentBlockDelta", payload: Data(#"{"contentBlockIndex":0,"delta":{"text":"a"},"flag":true}"#.utf8)) == .contentBlockDelta(index: 0, delta: .init(text: "a")))
    }

    private struct BedrockDeltaEnvelope: Decodable {
        var contentBlockIndex: Int
        var delta: BedrockContentBlockDelta
    }
}
