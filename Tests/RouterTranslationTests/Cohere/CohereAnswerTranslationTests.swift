import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Cohere v2 chat answer and errors → OpenAI")
struct CohereAnswerTranslationTests {
    let translator = CohereChatTranslator(identities: .fixed(id: "chatcmpl-test", created: 1_700_000_000))
    let request = ChatCompletionRequest(model: "cohere:command-a-03-2025", messages: [.user("Hello")])

    func completion(_ json: String) throws -> JSONValue {
        try StructuralJSON.encoded(try translator.chatCompletion(fromUpstreamBody: Data(json.utf8), for: request))
    }

    @Test("text answer with usage: the exact OpenAI completion, billed units as token counts")
    func text() throws {
        let answer = try completion(#"""
            {"id":"c1","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"Hello!"},{"type":"text","text":" Hi."}]},
             "usage":{"billed_units":{"input_tokens":5,"output_tokens":2},"tokens":{"input_tokens":70,"output_tokens":2},"cached_tokens":64}}
            """#)
        #expect(answer == (try StructuralJSON.parse(#"""
            {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"cohere:command-a-03-2025",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! Hi.","refusal":null},"finish_reason":"stop","logprobs":null}],
             "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
            """#)))
    }

    @Test("parallel tool calls with a tool plan: tool_calls, plan as reasoning_content, content null, finish tool_calls")
    func toolCalls() throws {
        let answer = try completion(#"""
            {"id":"c2","finish_reason":"TOOL_CALL","message":{"role":"assistant","tool_plan":"I will check both.",
             "tool_calls":[{"id":"get_weather_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                           {"id":"get_time_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
             "usage":{"billed_units":{"input_tokens":30,"output_tokens":20}}}
            """#)
        #expect(answer["choices"] == (try StructuralJSON.parse(#"""
            [{"index":0,"finish_reason":"tool_calls","logprobs":null,"message":{"role":"assistant","content":null,"refusal":null,
              "reasoning_content":"I will check both.",
              "tool_calls":[{"id":"get_weather_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                            {"id":"get_time_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]
            """#)))
    }

    @Test("thinking parts become reasoning_content, text stays content")
    func thinking() throws {
        let answer = try completion(#"{"id":"c3","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"thinking","thinking":"Let me see."},{"type":"text","text":"42"}]}}"#)
        let message = try #require(answer["choices"]?.arrayValue?.first?["message"])
        #expect(message["content"] == "42")
        #expect(message["reasoning_content"] == "Let me see.")
    }

    @Test("finish reasons map both ways", arguments: [
        ("COMPLETE", "stop"), ("STOP_SEQUENCE", "stop"), ("MAX_TOKENS", "length"), ("TOOL_CALL", "tool_calls"), ("ERROR_TOXIC", "content_filter"),
    ])
    func finishReasons(cohere: String, openAI: String) throws {
        let answer = try completion(#"{"id":"c","finish_reason":"\#(cohere)","message":{"role":"assistant","content":[{"type":"text","text":"x"}]}}"#)
        #expect(answer["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == openAI)
    }

    @Test("finish_reason ERROR is an upstream failure (502 server_error), not a content filter; TIMEOUT is 504")
    func errorFinish() throws {
        let error = try #require(throws: TranslationError.self) {
            try completion(#"{"id":"c","finish_reason":"ERROR","message":{"role":"assistant","content":[]}}"#)
        }
        #expect(error.status == 502)
        #expect(error.openAIError.type == "server_error")
        let timeout = try #require(throws: TranslationError.self) {
            try completion(#"{"id":"c","finish_reason":"TIMEOUT","message":{"role":"assistant","content":[]}}"#)
        }
        #expect(timeout.status == 504)
    }

    @Test("without billed units, raw tokens are used and cached_tokens is reported with them")
    func usageFallback() throws {
        let answer = try completion(#"{"id":"c","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"x"}]},"usage":{"tokens":{"input_tokens":502,"output_tokens":24},"cached_tokens":448}}"#)
        #expect(answer["usage"] == (try StructuralJSON.parse(#"{"prompt_tokens":502,"completion_tokens":24,"total_tokens":526,"prompt_tokens_details":{"cached_tokens":448}}"#)))
    }

    @Test("an answer that is not Cohere's is a 502")
    func malformed() throws {
        let error = try #require(throws: TranslationError.self) { try completion(#"{"unexpected":true}"#) }
        #expect(error.status == 502)
        #expect(throws: TranslationError.self) { try completion("<html>") }
    }

    @Test("real 401 body → OpenAI authentication_error with Cohere's message")
    func realAuthError() throws {
        let (status, body) = try #require(try CassetteSSEReader.errorBodies("cohere/v2-chat-401.ruby-vcr.json").first)
        #expect(status == 401)
        let error = translator.openAIError(fromUpstreamBody: body, status: status)
        #expect(error.type == "authentication_error")
        #expect(error.message.hasPrefix("Incorrect API key provided"))
        #expect(try StructuralJSON.encoded(error)["error"]?["param"] == .null)
    }

    @Test("error statuses map to OpenAI error types; a non-JSON body becomes the message", arguments: [
        (400, "invalid_request_error"), (403, "permission_error"), (404, "not_found_error"), (422, "invalid_request_error"),
        (429, "rate_limit_error"), (498, "authentication_error"), (500, "server_error"), (503, "server_error"),
    ])
    func errorTypes(status: Int, type: String) {
        let error = translator.openAIError(fromUpstreamBody: Data(#"{"id":"x","message":"nope"}"#.utf8), status: status)
        #expect(error.type == type && error.message == "nope")
        let html = translator.openAIError(fromUpstreamBody: Data("<html>bad gateway</html>".utf8), status: status)
        #expect(html.message == "<html>bad gateway</html>")
    }
}
