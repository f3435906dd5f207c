import Foundation
import WireFormats
import Testing

@testable import RouterTranslation

@Suite("chat completion → OpenAI Responses object")
struct ResponsesAnswerTranslationTests {
    let translator = ResponsesOverChatTranslator(identities: .fixed(id: "chatcmpl-abc", created: 1_700_000_000))

    func request(_ json: String) throws -> ResponsesRequest {
        try JSONDecoder().decode(ResponsesRequest.self, from: Data(json.utf8))
    }

    @Test("Bifrost #1638: a text answer is a whole Responses object with object: response, resp_ id, output message and usage details")
    func text() throws {
        let completion = ChatCompletion(
            identity: CompletionIdentity(id: "chatcmpl-upstream", created: 1), model: "cohere:command-a",
            message: .init(content: "Hi there"), finishReason: .stop,
            usage: Usage(promptTokens: 5, completionTokens: 2, cachedTokens: 1))
        let response = translator.response(from: completion, for: try request(#"{"model":"cohere:command-a","input":"hi","instructions":"be brief","temperature":1}"#))
        #expect(try StructuralJSON.encoded(response) == (try StructuralJSON.parse(#"""
            {"id":"resp_abc","object":"response","created_at":1700000000,"status":"completed","error":null,"incomplete_details":null,
             "instructions":"be brief","max_output_tokens":null,"model":"cohere:command-a",
             "output":[{"id":"msg_abc_0","type":"message","status":"completed","role":"assistant",
                        "content":[{"type":"output_text","text":"Hi there","annotations":[],"logprobs":[]}]}],
             "parallel_tool_calls":true,"previous_response_id":null,"store":false,"reasoning":null,"temperature":1,
             "text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":null,"truncation":"disabled",
             "usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":1},"output_tokens":2,
                      "output_tokens_details":{"reasoning_tokens":0},"total_tokens":7},
             "user":null,"metadata":{}}
            """#)))
    }

    @Test("tool calls become function_call items with call_id; reasoning becomes a reasoning item first; tools echoed")
    func toolCalls() throws {
        let completion = ChatCompletion(
            identity: CompletionIdentity(id: "x", created: 1), model: "m",
            message: .init(content: nil, reasoningContent: "Plan.", toolCalls: [
                ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                ToolCall(id: "call_2", name: "get_time", arguments: "{}"),
            ]), finishReason: .toolCalls, usage: nil)
        let tools = #"[{"type":"function","name":"get_weather","parameters":{"type":"object"}},{"type":"function","name":"get_time","parameters":{"type":"object"}}]"#
        let response = try StructuralJSON.encoded(translator.response(from: completion, for: try request(#"{"model":"m","input":"x","tools":\#(tools)}"#)))
        #expect(response["output"] == (try StructuralJSON.parse(#"""
            [{"id":"rs_abc_0","type":"reasoning","status":"completed","summary":[],"content":[{"type":"reasoning_text","text":"Plan."}]},
             {"id":"fc_abc_1","type":"function_call","status":"completed","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
             {"id":"fc_abc_2","type":"function_call","status":"completed","call_id":"call_2","name":"get_time","arguments":"{}"}]
            """#)))
        #expect(response["tools"] == (try StructuralJSON.parse(tools)))
        #expect(response["status"] == "completed" && response["usage"] == .null)
    }

    @Test("finish length → status incomplete, incomplete_details max_output_tokens; content_filter likewise")
    func incomplete() throws {
        for (reason, detail) in [(FinishReason.length, "max_output_tokens"), (.contentFilter, "content_filter")] {
            let completion = ChatCompletion(identity: CompletionIdentity(id: "x", created: 1), model: "m", message: .init(content: "Trunc"), finishReason: reason, usage: nil)
            let response = try StructuralJSON.encoded(translator.response(from: completion, for: try request(#"{"model":"m","input":"x"}"#)))
            #expect(response["status"] == "incomplete")
            #expect(response["incomplete_details"] == ["reason": .string(detail)])
            #expect(response["output"]?.arrayValue?.first?["status"] == "incomplete")
        }
    }
}
