import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Anthropic stream translation")
struct AnthropicStreamTests {
    typealias Support = AnthropicTestSupport

    static let plainRequest = #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"stream":true}"#
    static let usageRequest = #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}"#

    private func chunks(_ capture: String, request: String = plainRequest) throws -> [[ChatCompletionChunk]] {
        try Support.translateStream(Support.messages(ofSSE: capture), request: try Support.request(request))
    }

    @Test("real text stream, split at every message: the exact OpenAI chunk sequence, usage last (Archestra drops it)")
    func textStreamGolden() throws {
        let perMessage = try chunks(AnthropicCaptures.streamText, request: Self.usageRequest)
        let prefix = #"{"choices":[{"delta":"#
        let suffix = #","created":1700000000,"id":"chatcmpl-test","model":"anthropic:claude-sonnet-4-5","object":"chat.completion.chunk"}"#
        func content(_ text: String) -> String { prefix + #"{"content":"\#(text)"},"finish_reason":null,"index":0}]"# + suffix }
        let expected: [[String]] = [
            [prefix + #"{"content":"","role":"assistant"},"finish_reason":null,"index":0}]"# + suffix],  // message_start
            [],  // content_block_start (empty text)
            [],  // ping
            [content("Hello")],
            [content("! I")],
            [content("'m doing well, thank you for asking")],
            [content(". How are you doing today?")],
            [content(" Is")],
            [content(" there anything I can help you with?")],
            [],  // content_block_stop
            [],  // message_delta
            [
                prefix + #"{},"finish_reason":"stop","index":0}]"# + suffix,
                #"{"choices":[]"# + suffix.dropLast() + #","usage":{"completion_tokens":30,"prompt_tokens":12,"prompt_tokens_details":{"cached_tokens":0},"total_tokens":42}}"#,
            ],  // message_stop
            [],  // finish(): already closed by message_stop
        ]
        let actual = try perMessage.map { try $0.map(Support.encoded) }
        #expect(actual == expected)
    }

    @Test("each text event becomes a chunk at once, never buffered to the end")
    func eventByEvent() throws {
        let messages = Support.messages(ofSSE: AnthropicCaptures.streamTextThenToolUse)
        var stream = Support.translator.makeStreamTranslator(for: try Support.request(Self.plainRequest))
        for message in messages {
            let out = try stream.translate(message)
            let isTextDelta = String(decoding: message.data, as: UTF8.self).contains("\"text_delta\"")
            if isTextDelta {
                #expect(out.count == 1 && out[0].choices.first?.delta.content?.isEmpty == false)
            }
        }
    }

    @Test("Portkey #1399: the first translated chunk carries role assistant, and only the first")
    func firstChunkRole() throws {
        let all = try chunks(AnthropicCaptures.streamThinking).flatMap { $0 }
        #expect(all.first?.choices.first?.delta.role == "assistant")
        #expect(all.dropFirst().allSatisfy { $0.choices.first?.delta.role == nil })
    }

    @Test("LiteLLM #36262: streamed tool_use reaches the client as tool-call deltas, arguments whole")
    func streamedToolUseNotLost() throws {
        let all = try chunks(AnthropicCaptures.streamTextThenToolUse).flatMap { $0 }
        #expect(all.contentText == "I'll run the 'date' command for you.")
        let calls = all.accumulatedToolCalls
        #expect(calls.count == 1)
        let call = try #require(calls[0])
        #expect(call.id == "toolu_01Kke3CdMmWRuRQNEa89f3sM" && call.name == "system")
        #expect(try Support.json(call.arguments) == ["command": "date"])
        #expect(all.finishReasons == [.toolCalls])
        // The first delta of the call carries id, type, name and empty arguments, as the SDK needs.
        let start = try #require(all.first { $0.choices.first?.delta.toolCalls != nil }?.choices.first?.delta.toolCalls?.first)
        #expect(start == ToolCallDelta(index: 0, id: "toolu_01Kke3CdMmWRuRQNEa89f3sM", type: "function", function: .init(name: "system", arguments: "")))
    }

    @Test("an argument-less streamed tool call gets \"{}\", which clients can parse, not \"\"")
    func argumentlessToolCall() throws {
        let all = try chunks(AnthropicCaptures.streamToolUseNoArguments).flatMap { $0 }
        let call = try #require(all.accumulatedToolCalls[0])
        #expect(call.name == "pelican_name_generator")
        #expect(call.arguments == "{}")
        #expect(all.finishReasons == [.toolCalls])
    }

    @Test("parallel tool_use blocks get OpenAI indexes 0, 1 counted over tool blocks only")
    func parallelStreamedToolCalls() throws {
        let events = [
            #"{"type":"message_start","message":{"id":"m","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking both."}}"#,
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_a","name":"get_weather","input":{}}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}"#,
            #"{"type":"content_block_stop","index":1}"#,
            #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_b","name":"get_weather","input":{}}}"#,
            #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}"#,
            #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"Rome\"}"}}"#,
            #"{"type":"content_block_stop","index":2}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}}"#,
            #"{"type":"message_stop"}"#,
        ].map { UpstreamStreamMessage(event: nil, json: $0) }
        let all = try Support.translateStream(events, request: try Support.request(Self.plainRequest)).flatMap { $0 }
        let calls = all.accumulatedToolCalls
        #expect(calls[0]?.id == "toolu_a" && calls[0]?.arguments == #"{"city":"Paris"}"#)
        #expect(calls[1]?.id == "toolu_b" && calls[1]?.arguments == #"{"city":"Rome"}"#)
        #expect(all.finishReasons == [.toolCalls])
    }

    @Test("real thinking stream: thinking_delta → reasoning_content, signature ignored, then text")
    func thinkingStream() throws {
        let all = try chunks(AnthropicCaptures.streamThinking).flatMap { $0 }
        #expect(all.reasoningText.hasPrefix("The user wants two names for a pet pelican"))
        #expect(all.reasoningText.hasSuffix("Let me give two brief, catchy names:"))
        #expect(!all.reasoningText.contains("EuYDCmMI"))  // the signature stays out
        #expect(all.contentText.hasPrefix("1. **Pouch**"))
        let firstContent = try #require(all.firstIndex { $0.choices.first?.delta.content?.isEmpty == false })
        let lastReasoning = try #require(all.lastIndex { $0.choices.first?.delta.reasoningContent != nil })
        #expect(lastReasoning < firstContent)
        #expect(all.finishReasons == [.stop])
    }

    @Test("include_usage: the usage chunk follows the finish chunk with cache reads as cached_tokens; without it, none")
    func usageChunk() throws {
        let events = [
            #"{"type":"message_start","message":{"id":"m","content":[],"usage":{"input_tokens":10,"cache_read_input_tokens":90,"cache_creation_input_tokens":0,"output_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":7}}"#,
            #"{"type":"message_stop"}"#,
        ].map { UpstreamStreamMessage(event: nil, json: $0) }
        let asked = try Support.translateStream(events, request: try Support.request(Self.usageRequest)).flatMap { $0 }
        #expect(asked.finishReasons == [.length])
        let last = try #require(asked.last)
        #expect(last.choices.isEmpty)
        #expect(last.usage == Usage(promptTokens: 100, completionTokens: 7, cachedTokens: 90))
        let notAsked = try Support.translateStream(events, request: try Support.request(Self.plainRequest)).flatMap { $0 }
        #expect(notAsked.allSatisfy { $0.usage == nil })
    }

    @Test("an error event becomes an OpenAI error the relay can write, with Anthropic's status")
    func errorEvent() throws {
        var stream = Support.translator.makeStreamTranslator(for: try Support.request(Self.plainRequest))
        _ = try stream.translate(UpstreamStreamMessage(event: "message_start", json: #"{"type":"message_start","message":{"id":"m","content":[]}}"#))
        let error = #expect(throws: TranslationError.self) {
            try stream.translate(UpstreamStreamMessage(event: "error", json: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#))
        }
        #expect(error?.status == 529)
        #expect(error?.openAIError == OpenAIErrorBody(message: "Overloaded", type: "server_error", code: "overloaded_error"))
    }

    @Test("ping and unknown events produce nothing")
    func pingIgnored() throws {
        var stream = Support.translator.makeStreamTranslator(for: try Support.request(Self.plainRequest))
        #expect(try stream.translate(UpstreamStreamMessage(event: "ping", json: #"{"type": "ping"}"#)).isEmpty)
        #expect(try stream.translate(UpstreamStreamMessage(event: "future_event", json: #"{"type":"future_event","x":1}"#)).isEmpty)
    }

    @Test("a stream cut off before message_stop ends in an error, not a clean finish")
    func truncatedStream() throws {
        var stream = Support.translator.makeStreamTranslator(for: try Support.request(Self.plainRequest))
        _ = try stream.translate(UpstreamStreamMessage(event: nil, json: #"{"type":"message_start","message":{"id":"m","content":[]}}"#))
        _ = try stream.translate(UpstreamStreamMessage(event: nil, json: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"half"}}"#))
        let error = #expect(throws: TranslationError.self) { try stream.finish() }
        #expect(error?.status == 502)
    }

    @Test("a stream that lost only message_stop still finishes with its stop reason")
    func missingMessageStopAfterStopReason() throws {
        var stream = Support.translator.makeStreamTranslator(for: try Support.request(Self.plainRequest))
        _ = try stream.translate(UpstreamStreamMessage(event: nil, json: #"{"type":"message_start","message":{"id":"m","content":[]}}"#))
        _ = try stream.translate(UpstreamStreamMessage(event: nil, json: #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}"#))
        #expect(try stream.finish().flatMap { $0.choices.compactMap(\.finishReason) } == [.stop])
    }

    @Test("a malformed event is the upstream's fault: 502")
    func malformedEvent() throws {
        var stream = Support.translator.makeStreamTranslator(for: try Support.request(Self.plainRequest))
        let error = #expect(throws: TranslationError.self) { try stream.translate(UpstreamStreamMessage(event: "message_start", json: "{not json")) }
        #expect(error?.status == 502)
    }

    @Test("a streamed response-format answer is content as it arrives, finish stop")
    func structuredStream() throws {
        let request = #"{"model":"m","stream":true,"messages":[{"role":"user","content":"A city"}],"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object"}}}}"#
        let events = [
            #"{"type":"message_start","message":{"id":"m","content":[]}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"city","input":{}}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"name\":"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":" \"Paris\"}"}}"#,
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"#,
            #"{"type":"message_stop"}"#,
        ].map { UpstreamStreamMessage(event: nil, json: $0) }
        let perMessage = try Support.translateStream(events, request: try Support.request(request))
        #expect(perMessage[2].contentText == #"{"name":"#)  // streamed, not held back
        let all = perMessage.flatMap { $0 }
        #expect(all.contentText == #"{"name": "Paris"}"#)
        #expect(all.accumulatedToolCalls.isEmpty)
        #expect(all.finishReasons == [.stop])
    }

    @Test("the answer after a real tool result streams as text and finishes stop")
    func toolResultAnswerStream() throws {
        let all = try chunks(AnthropicCaptures.streamToolResultAnswer).flatMap { $0 }
        #expect(all.contentText.hasPrefix("The `date` command has been executed successfully."))
        #expect(all.finishReasons == [.stop])
        #expect(Set(all.map(\.id)) == ["chatcmpl-test"])
    }
}
