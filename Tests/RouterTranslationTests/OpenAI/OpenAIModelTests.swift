import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("OpenAI models")
struct OpenAIModelTests {
    private func decodeRequest(_ json: String) throws -> ChatCompletionRequest {
        try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(json.utf8))
    }

    @Test("a full request decodes every modelled field and keeps unknown ones")
    func decodesFullRequest() throws {
        let request = try decodeRequest(
            #"""
            {"model":"anthropic:claude","messages":[
              {"role":"developer","content":"be terse"},
              {"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA","detail":"low"}},
                {"type":"input_audio","input_audio":{"data":"UklG","format":"wav"}},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBER","filename":"a.pdf"}},
                {"type":"video","video":{"x":1}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"ok"}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"},"strict":true}}],
             "tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
             "stop":"END","temperature":0.5,"top_p":0.9,"max_tokens":10,"max_completion_tokens":20,"n":1,"seed":7,
             "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"},"strict":true}},
             "reasoning_effort":"low","stream":true,"stream_options":{"include_usage":true},"user":"u","metadata":{"k":"v"},
             "logit_bias":{"1":2},"service_tier":"flex"}
            """#)
        #expect(request.messages.map(\.role) == [.developer, .user, .assistant, .tool])
        #expect(request.messages[1].content?.parts.map(\.type) == ["text", "image_url", "input_audio", "file", "video"])
        #expect(request.messages[2].content == nil)
        #expect(request.messages[2].toolCalls?.first?.function.name == "f")
        #expect(request.messages[3].toolCallId == "call_1")
        #expect(request.toolChoice == .function(name: "f"))
        #expect(request.stop == ["END"])
        #expect(request.outputTokenLimit == 20)
        #expect(request.responseFormat == .jsonSchema(.init(name: "s", schema: ["type": "object"], strict: true)))
        #expect(request.streamOptions?.includeUsage == true)
        #expect(request.unknownFields.keys.sorted() == ["logit_bias", "service_tier"])
        #expect(request.droppedUnknownFields.map(\.kind) == ["logit_bias", "service_tier"])
    }

    @Test("tool_choice strings decode, and an unknown string is refused")
    func toolChoiceStrings() throws {
        for (text, expected) in [("auto", ToolChoice.auto), ("none", .none), ("required", .required)] {
            let request = try decodeRequest(#"{"model":"m","messages":[],"tool_choice":"\#(text)"}"#)
            #expect(request.toolChoice == expected)
        }
        #expect(throws: DecodingError.self) { try decodeRequest(#"{"model":"m","messages":[],"tool_choice":"sometimes"}"#) }
    }

    @Test("a request re-encodes to the same JSON, unknown fields included")
    func requestRoundTrip() throws {
        let text = #"{"messages":[{"content":"hi","role":"user"}],"model":"m","stop":["a","b"],"x_vendor":{"k":[1]}}"#
        let request = try decodeRequest(text)
        #expect(String(decoding: try TranslationJSON.encode(request), as: UTF8.self) == text)
    }

    @Test("a completion encodes as OpenAI does: content, refusal, finish_reason and logprobs written even when null")
    func completionBytes() throws {
        let completion = ChatCompletion(
            identity: .init(id: "chatcmpl-1", created: 1_700_000_000), model: "m",
            message: .init(content: nil, toolCalls: [ToolCall(id: "call_1", name: "f", arguments: "{}")]),
            finishReason: .toolCalls, usage: Usage(promptTokens: 5, completionTokens: 2, cachedTokens: 1, reasoningTokens: 0)
        )
        let expected = #"{"choices":[{"finish_reason":"tool_calls","index":0,"logprobs":null,"message":{"content":null,"refusal":null,"role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"call_1","type":"function"}]}}],"created":1700000000,"id":"chatcmpl-1","model":"m","object":"chat.completion","usage":{"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":0},"prompt_tokens":5,"prompt_tokens_details":{"cached_tokens":1},"total_tokens":7}}"#
        #expect(String(decoding: try TranslationJSON.encode(completion), as: UTF8.self) == expected)
        #expect(try JSONDecoder().decode(ChatCompletion.self, from: Data(expected.utf8)) == completion)
    }

    @Test("a chunk writes finish_reason null and omits absent delta fields")
    func chunkBytes() throws {
        let chunk = ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [.init(index: 0, delta: .init(content: "Hi"))])
        #expect(String(decoding: try TranslationJSON.encode(chunk), as: UTF8.self)
            == #"{"choices":[{"delta":{"content":"Hi"},"finish_reason":null,"index":0}],"created":1,"id":"c","model":"m","object":"chat.completion.chunk"}"#)
    }

    @Test("an OpenAI error encodes in its envelope with param and code, and reads numeric codes")
    func errorEnvelope() throws {
        let error = OpenAIErrorBody(message: "bad", type: "invalid_request_error", param: "tools")
        #expect(String(decoding: try TranslationJSON.encode(error), as: UTF8.self)
            == #"{"error":{"code":null,"message":"bad","param":"tools","type":"invalid_request_error"}}"#)
        let numeric = try JSONDecoder().decode(OpenAIErrorBody.self, from: Data(#"{"error":{"message":"x","type":"t","code":429}}"#.utf8))
        #expect(numeric.code == "429")
    }

    @Test("embeddings input decodes every form")
    func embeddingsInput() throws {
        func input(_ json: String) throws -> EmbeddingsInput {
            try JSONDecoder().decode(EmbeddingsRequest.self, from: Data(#"{"model":"m","input":\#(json)}"#.utf8)).input
        }
        #expect(try input(#""a""#) == .text("a"))
        #expect(try input(#"["a","b"]"#) == .texts(["a", "b"]))
        #expect(try input("[1,2]") == .tokens([1, 2]))
        #expect(try input("[[1],[2]]") == .tokenBatches([[1], [2]]))
        #expect(try input("[1,2]").texts == nil)
    }
}
