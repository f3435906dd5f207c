import Foundation
import WireFormats
import Testing

@testable import RouterTranslation

@Suite("Cohere v2 chat stream → OpenAI chunks")
struct CohereStreamTranslationTests {
    static func request(includeUsage: Bool) -> ChatCompletionRequest {
        ChatCompletionRequest(model: "cohere:command-a-03-2025", messages: [.user("x")], stream: true,
                              streamOptions: includeUsage ? .init(includeUsage: true) : nil)
    }

    /// Chunks per upstream message (so a test can see that nothing is held back), then finish's.
    static func run(_ messages: [UpstreamStreamMessage], includeUsage: Bool = true) throws -> (perMessage: [[ChatCompletionChunk]], closing: [ChatCompletionChunk]) {
        var stream = CohereChatTranslator(identities: .fixed()).makeStreamTranslator(for: request(includeUsage: includeUsage))
        var perMessage: [[ChatCompletionChunk]] = []
        for message in messages { perMessage.append(try stream.translate(message)) }
        return (perMessage, try stream.finish())
    }

    static func event(_ json: String) -> UpstreamStreamMessage {
        UpstreamStreamMessage(event: nil, json: json)
    }

    @Test("real text capture: role first, each content-delta at once, finish stop, usage chunk from billed units")
    func realText() throws {
        let stream = try #require(try CassetteSSEReader.streams("cohere/v2-chat-stream.ruby-vcr.json").first)
        let messages = CassetteSSEReader.messages(stream)
        let (perMessage, closing) = try Self.run(messages)
        let chunks = perMessage.flatMap { $0 } + closing
        #expect(closing.isEmpty)

        // Portkey #1399: the first translated chunk carries role assistant.
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
        #expect(chunks.filter { $0.choices.first?.delta.role != nil }.count == 1)
        // Event by event: every content-delta message yields exactly its own chunk.
        for (message, produced) in zip(messages, perMessage) where message.event == "content-delta" {
            #expect(produced.count == 1 && produced.first?.choices.first?.delta.content?.isEmpty == false)
        }
        let text = chunks.compactMap { $0.choices.first?.delta.content }.joined()
        #expect(text == "Sure! Here's counting from 1 to 3:\n\n1, 2, 3.")
        let finish = try #require(chunks.dropLast().last)
        #expect(finish.choices.first?.finishReason == .stop)
        let usage = try #require(chunks.last)
        #expect(usage.choices.isEmpty)
        #expect(usage.usage == Usage(promptTokens: 7, completionTokens: 21))
        #expect(Set(chunks.map(\.id)) == ["chatcmpl-test"])
        #expect(chunks.allSatisfy { $0.model == "cohere:command-a-03-2025" && $0.object == "chat.completion.chunk" })
    }

    @Test("real tool-call capture: tool_plan as reasoning_content, tool call id/name first then argument fragments, finish tool_calls")
    func realToolCall() throws {
        let stream = try #require(try CassetteSSEReader.streams("cohere/v2-chat-stream-tools-multiturn.ruby-vcr.json").first)
        let (perMessage, _) = try Self.run(CassetteSSEReader.messages(stream))
        let chunks = perMessage.flatMap { $0 }
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
        let reasoning = chunks.compactMap { $0.choices.first?.delta.reasoningContent }.joined()
        #expect(reasoning == "I will use the weather tool to find the weather in Berlin.")
        let calls = chunks.compactMap { $0.choices.first?.delta.toolCalls }.flatMap { $0 }
        let first = try #require(calls.first)
        #expect(first == ToolCallDelta(index: 0, id: "weather_vvavrb8p34fk", type: "function", function: .init(name: "weather", arguments: "")))
        #expect(calls.dropFirst().allSatisfy { $0.index == 0 && $0.id == nil && $0.function?.name == nil })
        let arguments = calls.compactMap { $0.function?.arguments }.joined()
        #expect(arguments == #"{"latitude": "52.5200", "longitude": "13.4050"}"#)
        #expect(chunks.contains { $0.choices.first?.finishReason == .toolCalls })
        #expect(chunks.last?.usage == Usage(promptTokens: 98, completionTokens: 35))
        #expect(chunks.allSatisfy { $0.choices.first?.delta.content?.isEmpty != false })
    }

    @Test("every real capture of the multi-turn cassette (text after tool results, citations) translates to one finish chunk", arguments: [0, 1, 2, 3])
    func realMultiTurn(index: Int) throws {
        let streams = try CassetteSSEReader.streams("cohere/v2-chat-stream-tools-multiturn.ruby-vcr.json")
        let stream = try #require(streams.count > index ? streams[index] : nil)
        let (perMessage, closing) = try Self.run(CassetteSSEReader.messages(stream))
        let chunks = perMessage.flatMap { $0 } + closing
        #expect(chunks.filter { $0.choices.first?.finishReason != nil }.count == 1)
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
    }

    @Test("parallel tool calls get dense OpenAI indexes 0 and 1 (vercel/ai capture shape)")
    func parallelToolCalls() throws {
        let (perMessage, _) = try Self.run([
            Self.event(#"{"id":"x","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}"#),
            Self.event(#"{"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"weather_1","type":"function","function":{"name":"weather","arguments":""}}}}}"#),
            Self.event(#"{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{}"}}}}}"#),
            Self.event(#"{"type":"tool-call-end","index":0}"#),
            Self.event(#"{"type":"tool-call-start","index":1,"delta":{"message":{"tool_calls":{"id":"city_2","type":"function","function":{"name":"cityAttractions","arguments":""}}}}}"#),
            Self.event(#"{"type":"tool-call-delta","index":1,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\"city\":\"SF\"}"}}}}}"#),
            Self.event(#"{"type":"tool-call-end","index":1}"#),
            Self.event(#"{"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":119,"output_tokens":44},"tokens":{"input_tokens":1549,"output_tokens":95},"cached_tokens":1504}}}"#),
        ])
        let calls = perMessage.flatMap { $0 }.compactMap { $0.choices.first?.delta.toolCalls }.flatMap { $0 }
        #expect(calls.map(\.index) == [0, 0, 1, 1])
        #expect(calls.compactMap(\.id) == ["weather_1", "city_2"])
    }

    @Test("no usage chunk unless the client asked with include_usage")
    func usageOnlyWhenAsked() throws {
        let stream = try #require(try CassetteSSEReader.streams("cohere/v2-chat-stream.ruby-vcr.json").first)
        let (perMessage, _) = try Self.run(CassetteSSEReader.messages(stream), includeUsage: false)
        let chunks = perMessage.flatMap { $0 }
        #expect(chunks.allSatisfy { $0.usage == nil && !$0.choices.isEmpty })
        #expect(chunks.last?.choices.first?.finishReason == .stop)
    }

    @Test("thinking content deltas become reasoning_content")
    func thinkingDeltas() throws {
        let (perMessage, _) = try Self.run([
            Self.event(#"{"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}"#),
            Self.event(#"{"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"Hmm."}}}}"#),
            Self.event(#"{"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"Yes."}}}}"#),
        ])
        let chunks = perMessage.flatMap { $0 }
        #expect(chunks.map { $0.choices.first?.delta.reasoningContent } == ["Hmm.", nil])
        #expect(chunks.map { $0.choices.first?.delta.content } == [nil, "Yes."])
        // No message-start: the first chunk still carries the role.
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
    }

    @Test("message-end with finish_reason ERROR throws an upstream error the relay writes as an error event")
    func inBandError() throws {
        var stream = CohereChatTranslator(identities: .fixed()).makeStreamTranslator(for: Self.request(includeUsage: true))
        _ = try stream.translate(Self.event(#"{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Par"}}}}"#))
        let error = try #require(throws: TranslationError.self) {
            try stream.translate(Self.event(#"{"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal failure"}}"#))
        }
        #expect(error.openAIError.type == "server_error")
        #expect(error.openAIError.message.contains("internal failure"))
    }

    @Test("Bifrost #6390: a stream cut before message-end still ends with a finish chunk, once")
    func truncatedStream() throws {
        var stream = CohereChatTranslator(identities: .fixed()).makeStreamTranslator(for: Self.request(includeUsage: true))
        _ = try stream.translate(Self.event(#"{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Par"}}}}"#))
        let closing = try stream.finish()
        #expect(closing.count == 1)
        #expect(closing.first?.choices.first?.finishReason == .stop)
        #expect(try stream.finish().isEmpty)
    }

    @Test("an empty stream still yields a role chunk and a finish chunk")
    func emptyStream() throws {
        let (_, closing) = try Self.run([])
        #expect(closing.map { $0.choices.first?.delta.role } == ["assistant", nil])
        #expect(closing.last?.choices.first?.finishReason == .stop)
    }

    @Test("[DONE], empty data, citations, debug and unknown events produce nothing; a non-JSON event is a 502")
    func ignoredEvents() throws {
        let (perMessage, _) = try Self.run([
            UpstreamStreamMessage(event: nil, json: "[DONE]"), UpstreamStreamMessage(event: nil, json: ""),
            Self.event(#"{"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":1}}}}"#),
            Self.event(#"{"type":"debug"}"#), Self.event(#"{"type":"something-new"}"#),
        ])
        #expect(perMessage.allSatisfy { $0.isEmpty })
        var stream = CohereChatTranslator(identities: .fixed()).makeStreamTranslator(for: Self.request(includeUsage: false))
        let error = try #require(throws: TranslationError.self) { try stream.translate(UpstreamStreamMessage(event: nil, json: "{oops")) }
        #expect(error.status == 502)
    }
}
