import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Anthropic answers and errors")
struct AnthropicResponseTests {
    typealias Support = AnthropicTestSupport

    private func completion(_ body: String, request: String = #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}"#) throws -> ChatCompletion {
        try Support.translator.chatCompletion(fromUpstreamBody: Data(body.utf8), for: try Support.request(request))
    }

    @Test("text answer: the exact OpenAI completion, model echoing the client's id")
    func textAnswerGolden() throws {
        let answer = try completion(#"{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}"#)
        #expect(try Support.encoded(answer) == #"{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"Hello!","refusal":null,"role":"assistant"}}],"created":1700000000,"id":"chatcmpl-test","model":"anthropic:claude-sonnet-4-5","object":"chat.completion","usage":{"completion_tokens":3,"prompt_tokens":10,"prompt_tokens_details":{"cached_tokens":0},"total_tokens":13}}"#)
    }

    @Test("real parallel tool_use answer: four tool calls with JSON-string arguments, the preamble as content, finish tool_calls")
    func parallelToolUseCapture() throws {
        let answer = try completion(AnthropicCaptures.parallelToolUseMessage)
        let message = try #require(answer.choices.first?.message)
        #expect(message.content == "I'll help you find out who is the youngest by retrieving information about each family member. I'll retrieve their entity information to compare their ages.")
        #expect(message.toolCalls?.map(\.id) == ["toolu_0167cfEnoQaPviGdVXA95zcu", "toolu_01EEe2V5HD1Ac4rKiUR4HD2T", "toolu_01XFyAjstT3966qvRynZyVPo", "toolu_013mnQZbgtK2oe3Mo3XKJsx3"])
        #expect(message.toolCalls?.map(\.function.arguments) == [#"{"name":"Alice"}"#, #"{"name":"Bob"}"#, #"{"name":"Charlie"}"#, #"{"name":"Daisy"}"#])
        #expect(message.toolCalls?.allSatisfy { $0.type == "function" && $0.function.name == "retrieve_entity_info" } == true)
        #expect(answer.choices.first?.finishReason == .toolCalls)
        #expect(answer.usage == Usage(promptTokens: 423, completionTokens: 202, cachedTokens: 0))
    }

    @Test("thinking becomes reasoning_content; redacted thinking is skipped")
    func thinkingAnswer() throws {
        let answer = try completion(#"{"content":[{"type":"thinking","thinking":"Let me think","signature":"sig"},{"type":"redacted_thinking","data":"xx"},{"type":"text","text":"42"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":9}}"#)
        #expect(answer.choices.first?.message.reasoningContent == "Let me think")
        #expect(answer.choices.first?.message.content == "42")
    }

    static let stopReasons: [(String, FinishReason)] = [
        ("end_turn", .stop), ("stop_sequence", .stop), ("max_tokens", .length), ("tool_use", .toolCalls),
        ("refusal", .contentFilter), ("pause_turn", .stop), ("model_context_window_exceeded", .length),
    ]

    @Test("stop_reason maps to finish_reason", arguments: stopReasons)
    func stopReasonMapping(stopReason: String, expected: FinishReason) throws {
        let answer = try completion(#"{"content":[{"type":"text","text":"x"}],"stop_reason":"\#(stopReason)","usage":{"input_tokens":1,"output_tokens":1}}"#)
        #expect(answer.choices.first?.finishReason == expected)
    }

    @Test("cache reads are cached_tokens and, as in OpenAI's prompt_tokens, part of the prompt count")
    func cachedUsage() throws {
        let answer = try completion(#"{"content":[{"type":"text","text":"x"}],"stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":4,"cache_creation_input_tokens":20,"cache_read_input_tokens":100}}"#)
        #expect(answer.usage == Usage(promptTokens: 130, completionTokens: 4, totalTokens: 134, cachedTokens: 100))
    }

    @Test("the forced response-format tool's input is the message content, finish stop, no tool call")
    func structuredAnswer() throws {
        let request = #"{"model":"m","messages":[{"role":"user","content":"A city"}],"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object","properties":{"name":{"type":"string"}}}}}}"#
        let answer = try completion(#"{"content":[{"type":"tool_use","id":"toolu_1","name":"city","input":{"name":"Paris"}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}"#, request: request)
        #expect(answer.choices.first?.message.content == #"{"name":"Paris"}"#)
        #expect(answer.choices.first?.message.toolCalls == nil)
        #expect(answer.choices.first?.finishReason == .stop)
    }

    @Test("a wrapped non-object answer is unwrapped; a client tool called beside it stays a tool call")
    func wrappedStructuredAnswer() throws {
        let request = #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"search"}}],"response_format":{"type":"json_schema","json_schema":{"name":"list","schema":{"type":"array"}}}}"#
        let unwrapped = try completion(#"{"content":[{"type":"tool_use","id":"t","name":"list","input":{"value":["a","b"]}}],"stop_reason":"tool_use"}"#, request: request)
        #expect(unwrapped.choices.first?.message.content == #"["a","b"]"#)
        let toolCall = try completion(#"{"content":[{"type":"tool_use","id":"t","name":"search","input":{}}],"stop_reason":"tool_use"}"#, request: request)
        #expect(toolCall.choices.first?.message.toolCalls?.first?.function.name == "search")
        #expect(toolCall.choices.first?.finishReason == .toolCalls)
    }

    @Test("a body that is not a Messages answer is the upstream's fault: 502")
    func malformedAnswer() throws {
        let error = #expect(throws: TranslationError.self) { try completion("<html>bad gateway</html>") }
        #expect(error?.status == 502)
    }

    @Test("real 401 error body: OpenAI authentication_error, Anthropic type kept as code")
    func authenticationError() {
        let error = Support.translator.openAIError(fromUpstreamBody: Data(AnthropicCaptures.error401.utf8), status: 401)
        #expect(error == OpenAIErrorBody(message: "invalid x-api-key", type: "authentication_error", param: nil, code: "authentication_error"))
    }

    @Test("real 400 error body: invalid_request_error with Anthropic's message")
    func invalidRequestError() {
        let error = Support.translator.openAIError(fromUpstreamBody: Data(AnthropicCaptures.error400.utf8), status: 400)
        #expect(error.type == "invalid_request_error")
        #expect(error.message == "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.")
    }

    static let errorTypes: [(String, String)] = [
        ("rate_limit_error", "rate_limit_error"), ("overloaded_error", "server_error"), ("api_error", "server_error"),
        ("permission_error", "permission_error"), ("not_found_error", "not_found_error"), ("billing_error", "insufficient_quota"),
        ("request_too_large", "invalid_request_error"),
    ]

    @Test("Anthropic error types map to OpenAI's", arguments: errorTypes)
    func errorTypeMapping(anthropicType: String, openAIType: String) throws {
        let error = Support.translator.openAIError(fromUpstreamBody: Data(#"{"type":"error","error":{"type":"\#(anthropicType)","message":"m"}}"#.utf8), status: 500)
        #expect(error.type == openAIType)
        #expect(error.code == anthropicType)
        #expect(try Support.encoded(error) == #"{"error":{"code":"\#(anthropicType)","message":"m","param":null,"type":"\#(openAIType)"}}"#)
    }

    @Test("a body that is not Anthropic's error shape keeps its text and gets a type from the status")
    func foreignErrorBody() {
        let error = Support.translator.openAIError(fromUpstreamBody: Data("upstream connect error".utf8), status: 503)
        #expect(error == OpenAIErrorBody(message: "upstream connect error", type: "server_error"))
        #expect(Support.translator.openAIError(fromUpstreamBody: Data(), status: 429).type == "rate_limit_error")
    }
}
