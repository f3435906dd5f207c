import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Gemini answers, streams and errors")
struct GeminiAnswerTranslationTests {
    let translator = GeminiChatTranslator(identities: TranslatorTestSupport.identity)
    let request = ChatCompletionRequest(model: "gemini:gemini-2.5-flash", messages: [.user("x")])
    var streamRequest: ChatCompletionRequest {
        var request = self.request
        request.stream = true
        request.streamOptions = .init(includeUsage: true)
        return request
    }

    func completion(_ json: String) throws(TranslationError) -> ChatCompletion {
        try self.translator.chatCompletion(fromUpstreamBody: Data(json.utf8), for: self.request)
    }

    // MARK: Whole answers

    @Test("text + usage: the exact OpenAI completion, thoughts counted as reasoning, cached tokens kept")
    func textAndUsage() throws {
        let answer = try self.completion(
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true},{"text":"Hello"},{"text":" there"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":2,"thoughtsTokenCount":5,"cachedContentTokenCount":4,"totalTokenCount":17},"modelVersion":"gemini-2.5-flash","responseId":"r1"}"#
        )
        #expect(
            try TranslatorTestSupport.text(answer)
                == #"{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"Hello there","reasoning_content":"Let me think","refusal":null,"role":"assistant"}}],"created":1700000000,"id":"chatcmpl-test","model":"gemini:gemini-2.5-flash","object":"chat.completion","usage":{"completion_tokens":7,"completion_tokens_details":{"reasoning_tokens":5},"prompt_tokens":10,"prompt_tokens_details":{"cached_tokens":4},"total_tokens":17}}"#
        )
    }

    @Test("a function call with a thought signature: tool_calls, finish tool_calls, the signature inside the id")
    func functionCallWithSignature() throws {
        let answer = try self.completion(
            #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2ln"}]},"finishReason":"STOP"}]}"#
        )
        let call = try #require(answer.choices.first?.message.toolCalls?.first)
        #expect(call.id == "call_test_0__thought__c2ln")
        #expect(call.function.name == "get_weather")
        #expect(call.function.arguments == #"{"city":"Paris"}"#)
        #expect(answer.choices.first?.finishReason == .toolCalls)
        #expect(answer.choices.first?.message.content == nil)
    }

    @Test("parallel calls: every functionCall part becomes a tool call, Gemini's own ids kept")
    func parallelCalls() throws {
        let answer = try self.completion(
            #"{"candidates":[{"content":{"parts":[{"functionCall":{"id":"g1","name":"a","args":{}}},{"functionCall":{"id":"g2","name":"b","args":{"x":1}}}]},"finishReason":"STOP"}]}"#
        )
        #expect(answer.choices.first?.message.toolCalls == [ToolCall(id: "g1", name: "a", arguments: "{}"), ToolCall(id: "g2", name: "b", arguments: #"{"x":1}"#)])
    }

    @Test(
        "finish reasons map to OpenAI's",
        arguments: [
            ("STOP", FinishReason.stop), ("MAX_TOKENS", .length), ("SAFETY", .contentFilter), ("RECITATION", .contentFilter),
            ("BLOCKLIST", .contentFilter), ("PROHIBITED_CONTENT", .contentFilter), ("SPII", .contentFilter), ("OTHER", .stop),
            ("MALFORMED_FUNCTION_CALL", .stop),
        ])
    func finishReasons(gemini: String, openAI: FinishReason) throws {
        let answer = try self.completion(#"{"candidates":[{"content":{"parts":[{"text":"t"}]},"finishReason":"\#(gemini)"}]}"#)
        #expect(answer.choices.first?.finishReason == openAI)
    }

    @Test("MALFORMED_FUNCTION_CALL with nothing to show is an upstream error quoting Gemini, not a silent empty stop")
    func malformedFunctionCallIsAnError() throws {
        do {
            _ = try self.completion(#"{"candidates":[{"content":{"role":"model"},"finishReason":"MALFORMED_FUNCTION_CALL","finishMessage":"Malformed function call: foo("}]}"#)
            Issue.record("an empty malformed answer was translated")
        } catch {
            #expect(error.status == 502)
            #expect(error.openAIError.code == "malformed_function_call")
            #expect(error.openAIError.message.contains("Malformed function call: foo("))
        }
    }

    @Test("a blocked prompt (no candidates) is an empty answer finished by the content filter")
    func blockedPrompt() throws {
        let answer = try self.completion(#"{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}}"#)
        #expect(answer.choices.first?.finishReason == .contentFilter)
        #expect(answer.choices.first?.message.content == nil)
        #expect(answer.usage == Usage(promptTokens: 3, completionTokens: 0, totalTokens: 3))
    }

    @Test("an unreadable answer is a 502")
    func malformedUpstream() {
        #expect(throws: TranslationError.self) { try self.completion("<html>") }
    }

    // MARK: Errors

    @Test("error: the real 400 (API key invalid) and 429 (quota) bodies become OpenAI errors with the rpc status as code")
    func errors() throws {
        let invalid = self.translator.openAIError(fromUpstreamBody: Data(GeminiRealCaptures.error400InvalidKey), status: 400)
        #expect(invalid == OpenAIErrorBody(message: "API key not valid. Please pass a valid API key.", type: "invalid_request_error", code: "INVALID_ARGUMENT"))
        let quota = self.translator.openAIError(fromUpstreamBody: Data(GeminiRealCaptures.error429), status: 429)
        #expect(quota == OpenAIErrorBody(message: "You exceeded your current quota, please check your plan.", type: "rate_limit_error", code: "RESOURCE_EXHAUSTED"))
        let html = self.translator.openAIError(fromUpstreamBody: Data("Bad Gateway".utf8), status: 502)
        #expect(html == OpenAIErrorBody(message: "Bad Gateway", type: "server_error"))
    }

    // MARK: Streams (real captures, split at every SSE event)

    @Test("stream, text (real capture): role first, one chunk per event, finish, usage")
    func streamText() throws {
        let messages = TranslatorTestSupport.sseMessages(GeminiRealCaptures.sseTextAfterTools)
        #expect(messages.count == 2)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        let envelope = #""created":1700000000,"id":"chatcmpl-test","model":"gemini:gemini-2.5-flash","object":"chat.completion.chunk""#
        let expected: [String] = [
            #"{"choices":[{"delta":{"content":"The temperature in Paris","role":"assistant"},"finish_reason":null,"index":0}],"# + envelope + "}",
            #"{"choices":[{"delta":{"content":" is 30°C.\n"},"finish_reason":null,"index":0}],"# + envelope + "}",
            #"{"choices":[{"delta":{},"finish_reason":"stop","index":0}],"# + envelope + "}",
            #"{"choices":[],"# + envelope + #","usage":{"completion_tokens":12,"prompt_tokens":79,"total_tokens":91}}"#,
        ]
        #expect(try TranslatorTestSupport.lines(chunks) == expected)
    }

    @Test("Portkey #1399: the first chunk of a Gemini stream carries role assistant")
    func portkey1399_roleOnFirstChunk() throws {
        let messages = TranslatorTestSupport.sseMessages(GeminiRealCaptures.sseToolsFirstTurn)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
        #expect(chunks.dropFirst().allSatisfy { $0.choices.first?.delta.role == nil })
    }

    @Test("stream, tools (real capture): the functionCall becomes a tool-call start and its arguments; finish tool_calls")
    func streamToolCall() throws {
        let messages = TranslatorTestSupport.sseMessages(GeminiRealCaptures.sseToolsFirstTurn)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        let deltas = chunks.compactMap { $0.choices.first?.delta.toolCalls?.first }
        #expect(
            deltas == [
                ToolCallDelta(index: 0, id: "call_test_0", type: "function", function: .init(name: "get_capital", arguments: "")),
                ToolCallDelta(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: #"{"country":"France"}"#)),
            ])
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.toolCalls])
        #expect(chunks.last?.usage == Usage(promptTokens: 52, completionTokens: 5, totalTokens: 57))
    }

    @Test("Archestra #7581 / Portkey #1442: a real Gemini 2.5 thought signature streams out in the id and goes back on the next request")
    func thoughtSignatureRoundTrip() throws {
        let messages = TranslatorTestSupport.sseMessages(GeminiRealCaptures.sseCallWithThoughtSignature)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        let starts: [ToolCallDelta] = chunks.compactMap { $0.choices.first?.delta.toolCalls?.first }
        let id = try #require(starts.first?.id)
        let arguments = chunks.compactMap { $0.choices.first?.delta.toolCalls?.first?.function?.arguments }.joined()
        #expect(arguments == #"{"latitude":"52.5200","longitude":"13.4050"}"#)
        let upstreamEvent = try TranslatorTestSupport.json(Data(messages[0].data))
        let recorded = try #require(upstreamEvent["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first?["thoughtSignature"])
        // The client sends the id back as it got it; the next Gemini request carries the signature.
        let next = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("Weather in Berlin?"),
                .assistant(nil, toolCalls: [ToolCall(id: id, name: "weather", arguments: arguments)]),
                .tool(callId: id, "15°C"),
            ])
        let body = try TranslatorTestSupport.json(try self.translator.upstreamRequest(for: next, model: "gemini-2.5-flash").body)
        let callPart = try #require(body["contents"]?.arrayValue?[1]["parts"]?.arrayValue?.first)
        #expect(callPart["thoughtSignature"] == recorded)
        #expect(callPart["functionCall"]?["name"] == "weather")
        #expect(body["contents"]?.arrayValue?[2]["parts"]?.arrayValue?.first?["functionResponse"]?["name"] == "weather")
        #expect(chunks.last?.usage?.completionTokensDetails?.reasoningTokens == 43)
        #expect(chunks.last?.usage?.completionTokens == 73)
    }

    @Test("stream, thinking (real capture, JSON-array form): thought parts become reasoning_content before the call")
    func streamThoughtThenCall() throws {
        let messages = try TranslatorTestSupport.jsonArrayMessages(GeminiRealCaptures.jsonArrayThoughtThenCall)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
        #expect(chunks.first?.choices.first?.delta.reasoningContent?.hasPrefix("**Generating Pelican Names**") == true)
        let calls: [ToolCallDelta] = chunks.compactMap { $0.choices.first?.delta.toolCalls?.first }
        let call = try #require(calls.first)
        #expect(call.function?.name == "pelican_name_generator")
        #expect(call.id?.hasPrefix("call_test_0__thought__ClgBEU0yD8z3") == true)
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.toolCalls])
        #expect(chunks.last?.usage == Usage(promptTokens: 32, completionTokens: 54, totalTokens: 86, reasoningTokens: 42))
    }

    @Test("stream, usage (Vertex real capture): thoughts are part of completion tokens and reported as reasoning")
    func vertexUsage() throws {
        let messages = TranslatorTestSupport.sseMessages(GeminiRealCaptures.vertexSSEText)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "1, 2, 3")
        #expect(chunks.last?.usage == Usage(promptTokens: 7, completionTokens: 32, totalTokens: 39, reasoningTokens: 25))
    }

    @Test("usage is left out of the stream when the client did not ask for it")
    func noUsageUnlessAsked() throws {
        var request = self.streamRequest
        request.streamOptions = nil
        let chunks = try TranslatorTestSupport.run(
            self.translator.makeStreamTranslator(for: request), TranslatorTestSupport.sseMessages(GeminiRealCaptures.vertexSSEText))
        #expect(chunks.allSatisfy { $0.usage == nil })
        #expect(chunks.last?.choices.first?.finishReason == .stop)
    }

    @Test("every part of one event is converted, in order (Archestra converts only the first)")
    func everyPartConverted() throws {
        let event = #"{"candidates":[{"content":{"role":"model","parts":[{"text":"hmm","thought":true},{"text":"Checking both."},{"functionCall":{"name":"a","args":{"q":1}}},{"functionCall":{"name":"b","args":{}}}]},"finishReason":"STOP"}]}"#
        let chunks = try TranslatorTestSupport.run(
            self.translator.makeStreamTranslator(for: self.streamRequest), [UpstreamStreamMessage(event: nil, json: event)])
        let deltas = chunks.compactMap { $0.choices.first?.delta }
        #expect(deltas[0].reasoningContent == "hmm")
        #expect(deltas[1].content == "Checking both.")
        #expect(deltas.compactMap { $0.toolCalls?.first?.function?.name } == ["a", "b"])
        #expect(deltas.compactMap { $0.toolCalls?.first?.index } == [0, 0, 1, 1])
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.toolCalls])
    }

    @Test("Bifrost #6390: a stream that ends without finishReason still closes with a finish chunk")
    func bifrost6390_finishWithoutFinishReason() throws {
        let event = #"{"candidates":[{"content":{"role":"model","parts":[{"text":"partial"}]}}]}"#
        let chunks = try TranslatorTestSupport.run(
            self.translator.makeStreamTranslator(for: self.streamRequest), [UpstreamStreamMessage(event: nil, json: event)])
        #expect(chunks.count == 2)
        #expect(chunks.last?.choices.first?.finishReason == .stop)
    }

    @Test("an empty stream still yields a role chunk and a finish chunk")
    func emptyStream() throws {
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), [])
        #expect(chunks.map { $0.choices.first?.finishReason } == [nil, .stop])
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
    }

    @Test("an in-band error event becomes an upstream TranslationError with Gemini's status")
    func inBandError() throws {
        var stream = self.translator.makeStreamTranslator(for: self.streamRequest)
        _ = try stream.translate(UpstreamStreamMessage(event: nil, json: #"{"candidates":[{"content":{"parts":[{"text":"a"}]}}]}"#))
        do {
            _ = try stream.translate(UpstreamStreamMessage(event: nil, json: #"{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}"#))
            Issue.record("the error event was not raised")
        } catch {
            #expect(error.status == 503)
            #expect(error.openAIError == OpenAIErrorBody(message: "overloaded", type: "server_error", code: "UNAVAILABLE"))
        }
    }
}
