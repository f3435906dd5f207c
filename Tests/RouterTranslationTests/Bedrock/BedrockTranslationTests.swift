import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Bedrock request translation")
struct BedrockRequestTranslationTests {
    let translator = BedrockChatTranslator(identities: TranslatorTestSupport.identity)

    func translate(_ request: ChatCompletionRequest, model: String = "us.amazon.nova-2-lite-v1:0") throws -> (TranslatedRequest, JSONValue) {
        let translated = try self.translator.upstreamRequest(for: request, model: model)
        return (translated, try TranslatorTestSupport.json(translated.body))
    }

    static let weatherTool = ChatTool.function(
        "weather", description: "Gets current weather for a location",
        parameters: [
            "type": "object", "properties": ["latitude": ["type": "string"], "longitude": ["type": "string"]],
            "required": ["latitude", "longitude"], "additionalProperties": false,
        ])

    @Test("text, non-stream: /converse with the model id as one encoded segment, exact body")
    func textNonStream() throws {
        let (translated, body) = try self.translate(ChatCompletionRequest(model: "bedrock:x", messages: [.user("Hello")]))
        #expect(translated.operationPath == "/model/us.amazon.nova-2-lite-v1%3A0/converse")
        #expect(!translated.isStreaming)
        #expect(body == ["messages": [["role": "user", "content": [["text": "Hello"]]]]])
    }

    @Test("text, stream: /converse-stream; an inference-profile ARN stays one segment")
    func textStream() throws {
        let request = ChatCompletionRequest(model: "m", messages: [.user("Hello")], stream: true)
        let (translated, body) = try self.translate(
            request, model: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0")
        #expect(
            translated.operationPath
                == "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream")
        #expect(translated.isStreaming)
        #expect(body == ["messages": [["role": "user", "content": [["text": "Hello"]]]]])
    }

    @Test("system and developer messages become system blocks; sampling settings inferenceConfig")
    func systemAndInferenceConfig() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.system("Be brief."), .developer("Use metric."), .user("Hi")], stop: ["END"],
            temperature: 0.5, topP: 0.9, maxTokens: 10, maxCompletionTokens: 100)
        let (translated, body) = try self.translate(request)
        #expect(
            body == [
                "messages": [["role": "user", "content": [["text": "Hi"]]]],
                "system": [["text": "Be brief."], ["text": "Use metric."]],
                "inferenceConfig": ["maxTokens": 100, "temperature": 0.5, "topP": 0.9, "stopSequences": ["END"]],
            ])
        #expect(translated.dropped.isEmpty)
    }

    @Test("multi-turn keeps alternation")
    func multiTurn() throws {
        let (_, body) = try self.translate(ChatCompletionRequest(model: "m", messages: [.user("Hi"), .assistant("Hello!"), .user("More")]))
        #expect(
            body["messages"] == [
                ["role": "user", "content": [["text": "Hi"]]], ["role": "assistant", "content": [["text": "Hello!"]]],
                ["role": "user", "content": [["text": "More"]]],
            ])
    }

    @Test("LiteLLM #30053: tools are sent as toolConfig.tools[].toolSpec, with every tool_choice mapped")
    func litellm30053_toolsSent() throws {
        let cases: [(ToolChoice?, JSONValue?)] = [
            (nil, nil), (.auto, ["auto": [:]]), (.required, ["any": [:]]), (.function(name: "weather"), ["tool": ["name": "weather"]]),
        ]
        for (choice, expected) in cases {
            let request = ChatCompletionRequest(model: "m", messages: [.user("Weather in Berlin?")], tools: [Self.weatherTool], toolChoice: choice)
            let (_, body) = try self.translate(request)
            let toolConfig = try #require(body["toolConfig"])
            #expect(
                toolConfig["tools"] == [
                    [
                        "toolSpec": [
                            "name": "weather", "description": "Gets current weather for a location",
                            "inputSchema": [
                                "json": [
                                    "type": "object", "properties": ["latitude": ["type": "string"], "longitude": ["type": "string"]],
                                    "required": ["latitude", "longitude"], "additionalProperties": false,
                                ]
                            ],
                        ]
                    ]
                ])
            #expect(toolConfig["toolChoice"] == expected)
        }
    }

    @Test("tool_choice none: tools left out on a fresh conversation")
    func toolChoiceNoneFresh() throws {
        let request = ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [Self.weatherTool], toolChoice: ToolChoice.none)
        let (translated, body) = try self.translate(request)
        #expect(body["toolConfig"] == nil)
        #expect(translated.dropped.isEmpty)
    }

    @Test("tool_choice none with tool blocks in the history: toolConfig kept (Bedrock requires it), sent as auto, reported")
    func toolChoiceNoneWithHistory() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("x"), .assistant(nil, toolCalls: [ToolCall(id: "t1", name: "weather", arguments: "{}")]), .tool(callId: "t1", "15°C"),
            ],
            tools: [Self.weatherTool], toolChoice: ToolChoice.none)
        let (translated, body) = try self.translate(request)
        #expect(body["toolConfig"]?["toolChoice"] == ["auto": [:]])
        #expect(body["toolConfig"]?["tools"]?.arrayValue?.count == 1)
        #expect(translated.dropped.map(\.kind) == ["tool_choice (none)"])
    }

    @Test("tools dropped by the client mid-conversation get permissive specs, since the history holds toolUse blocks")
    func historyToolsWithoutDeclarations() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [.user("x"), .assistant(nil, toolCalls: [ToolCall(id: "t1", name: "weather", arguments: "{}")]), .tool(callId: "t1", "ok")])
        let (_, body) = try self.translate(request)
        #expect(body["toolConfig"]?["tools"]?.arrayValue?.first?["toolSpec"]?["name"] == "weather")
    }

    @Test("tool-result round trip (the real capture's second request): toolUse with parsed input, toolResult in a user message")
    func toolResultRoundTrip() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("What's the weather in Berlin? (52.5200, 13.4050)"),
                .assistant(
                    nil,
                    toolCalls: [ToolCall(id: "tooluse_hsyz7O0QqkhdTHrpQhVYXj", name: "weather", arguments: #"{"latitude":"52.5200","longitude":"13.4050"}"#)]),
                .tool(callId: "tooluse_hsyz7O0QqkhdTHrpQhVYXj", "Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h"),
            ],
            tools: [Self.weatherTool])
        let (_, body) = try self.translate(request)
        // The messages ruby_llm sent Bedrock for this turn (bedrock/converse-stream-tools-multiturn-sigv4.ruby-vcr.yml, request 2).
        let recorded = try TranslatorTestSupport.json(
            #"[{"role":"user","content":[{"text":"What's the weather in Berlin? (52.5200, 13.4050)"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_hsyz7O0QqkhdTHrpQhVYXj","name":"weather","input":{"latitude":"52.5200","longitude":"13.4050"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_hsyz7O0QqkhdTHrpQhVYXj","content":[{"text":"Current weather at 52.5200, 13.4050: 15\u00b0C, Wind: 10 km/h"}]}}]}]"#
        )
        #expect(body["messages"] == recorded)
    }

    @Test("parallel tools: consecutive tool results (and a following user message) merge into one user message; JSON results as json")
    func parallelResultsMerged() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("Both?"),
                .assistant("Checking.", toolCalls: [ToolCall(id: "a", name: "weather", arguments: "{}"), ToolCall(id: "b", name: "weather", arguments: "{}")]),
                .tool(callId: "a", #"{"temp":15}"#), .tool(callId: "b", "20°C"), .user("Thanks"),
            ])
        let (_, body) = try self.translate(request)
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.count == 3)
        #expect(messages[1]["content"]?.arrayValue?.count == 3)
        #expect(
            messages[2] == [
                "role": "user",
                "content": [
                    ["toolResult": ["toolUseId": "a", "content": [["json": ["temp": 15]]]]],
                    ["toolResult": ["toolUseId": "b", "content": [["text": "20°C"]]]],
                    ["text": "Thanks"],
                ],
            ])
    }

    @Test("LiteLLM #24668: invalid tool names are mapped everywhere they appear (tools, tool_choice, history) and an empty name is a 400")
    func litellm24668_toolNamesMapped() throws {
        let tool = ChatTool.function("github.create_issue", parameters: ["type": "object"])
        let mapped = BedrockToolNameMap.mappedName(for: "github.create_issue")
        let request = ChatCompletionRequest(
            model: "m",
            messages: [.user("x"), .assistant(nil, toolCalls: [ToolCall(id: "t", name: "github.create_issue", arguments: "{}")]), .tool(callId: "t", "done")],
            tools: [tool], toolChoice: .function(name: "github.create_issue"))
        let (_, body) = try self.translate(request)
        #expect(body["toolConfig"]?["tools"]?.arrayValue?.first?["toolSpec"]?["name"] == .string(mapped))
        #expect(body["toolConfig"]?["toolChoice"] == ["tool": ["name": .string(mapped)]])
        #expect(body["messages"]?.arrayValue?[1]["content"]?.arrayValue?.first?["toolUse"]?["name"] == .string(mapped))
        #expect(!String(decoding: try self.translator.upstreamRequest(for: request, model: "m").body, as: UTF8.self).contains("github.create_issue"))

        let empty = ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [.function("", parameters: ["type": "object"])])
        #expect(throws: TranslationError.invalidRequest(field: "tools[0].function.name", message: "tools[0].function.name: a tool name must not be empty")) {
            try self.translator.upstreamRequest(for: empty, model: "m")
        }
    }

    @Test("images: base64 png/jpeg/gif/webp kept as bytes; http URLs dropped and reported")
    func images() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user([
                    .text("What is this?"), .imageURL(url: "data:image/jpeg;base64,/9j/4AAQ", detail: nil),
                    .imageURL(url: "https://example.com/cat.png", detail: nil),
                ])
            ])
        let (translated, body) = try self.translate(request)
        #expect(
            body["messages"] == [
                ["role": "user", "content": [["text": "What is this?"], ["image": ["format": "jpeg", "source": ["bytes": "/9j/4AAQ"]]]]]
            ])
        #expect(translated.dropped.map(\.kind) == ["image_url (http)"])
    }

    @Test("a PDF file becomes a document block with a Bedrock-safe name, plus text when the message had none")
    func documents() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.user([.file(fileId: nil, fileData: "data:application/pdf;base64,JVBERi0=", filename: "Q3_report.v2.pdf")])])
        let (_, body) = try self.translate(request)
        #expect(
            body["messages"]?.arrayValue?.first?["content"] == [
                ["document": ["format": "pdf", "name": "Q3 report v2", "source": ["bytes": "JVBERi0="]]], ["text": "See the attached document."],
            ])
    }

    @Test("response_format json_schema becomes a forced answer tool")
    func jsonSchemaForcedTool() throws {
        let format = ResponseFormat.JSONSchemaFormat(name: "city", schema: ["type": "object", "properties": ["name": ["type": "string"]]])
        let (_, body) = try self.translate(ChatCompletionRequest(model: "m", messages: [.user("x")], responseFormat: .jsonSchema(format)))
        #expect(
            body["toolConfig"] == [
                "tools": [
                    [
                        "toolSpec": [
                            "name": "json_response", "description": "Answer with JSON matching this schema (city).",
                            "inputSchema": ["json": ["type": "object", "properties": ["name": ["type": "string"]]]],
                        ]
                    ]
                ],
                "toolChoice": ["tool": ["name": "json_response"]],
            ])
    }

    @Test("settings Converse cannot take are reported as dropped")
    func droppedReported() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.user([.text("x"), .inputAudio(data: "AAA", format: "wav")])], n: 2, seed: 1, reasoningEffort: "high")
        let (translated, _) = try self.translate(request)
        #expect(translated.dropped.map(\.kind) == ["input_audio", "n", "seed", "reasoning_effort"])
    }
}

@Suite("Bedrock answers, streams and errors")
struct BedrockAnswerTranslationTests {
    let translator = BedrockChatTranslator(identities: TranslatorTestSupport.identity)
    let request = ChatCompletionRequest(model: "bedrock:us.amazon.nova-micro-v1:0", messages: [.user("x")])
    var streamRequest: ChatCompletionRequest {
        var request = self.request
        request.stream = true
        request.streamOptions = .init(includeUsage: true)
        return request
    }

    func completion(_ json: String, for request: ChatCompletionRequest? = nil) throws(TranslationError) -> ChatCompletion {
        try self.translator.chatCompletion(fromUpstreamBody: Data(json.utf8), for: request ?? self.request)
    }

    @Test("tools (real answer, converse-tools-retry): text and toolUse → content and tool_calls, finish tool_calls, exact JSON")
    func realToolAnswer() throws {
        let answer = try self.completion(
            #"{"metrics": {"latencyMs": 581}, "output": {"message": {"content": [{"text": "<thinking> I will use the tool. </thinking>\n"}, {"toolUse": {"input": {"country": "France"}, "name": "get_capital", "toolUseId": "tooluse_Ze_bgl9CSqu8aJv7XD-_Dw"}}], "role": "assistant"}}, "stopReason": "tool_use", "usage": {"inputTokens": 426, "outputTokens": 66, "serverToolUsage": {}, "totalTokens": 492}}"#
        )
        #expect(
            try TranslatorTestSupport.text(answer)
                == #"{"choices":[{"finish_reason":"tool_calls","index":0,"logprobs":null,"message":{"content":"<thinking> I will use the tool. </thinking>\n","refusal":null,"role":"assistant","tool_calls":[{"function":{"arguments":"{\"country\":\"France\"}","name":"get_capital"},"id":"tooluse_Ze_bgl9CSqu8aJv7XD-_Dw","type":"function"}]}}],"created":1700000000,"id":"chatcmpl-test","model":"bedrock:us.amazon.nova-micro-v1:0","object":"chat.completion","usage":{"completion_tokens":66,"prompt_tokens":426,"total_tokens":492}}"#
        )
    }

    @Test(
        "stop reasons map to OpenAI's (Bifrost #4679: max_tokens is length)",
        arguments: [
            ("end_turn", FinishReason.stop), ("stop_sequence", .stop), ("max_tokens", .length), ("model_context_window_exceeded", .length),
            ("guardrail_intervened", .contentFilter), ("content_filtered", .contentFilter), ("malformed_model_output", .stop),
        ])
    func bifrost4679_stopReasons(bedrock: String, openAI: FinishReason) throws {
        let answer = try self.completion(#"{"output":{"message":{"role":"assistant","content":[{"text":"t"}]}},"stopReason":"\#(bedrock)"}"#)
        #expect(answer.choices.first?.finishReason == openAI)
    }

    @Test("reasoning blocks become reasoning_content; cache reads count as cached prompt tokens")
    func reasoningAndCache() throws {
        let answer = try self.completion(
            #"{"output":{"message":{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Thinking.","signature":"sig"}}},{"text":"Done."}]}},"stopReason":"end_turn","usage":{"inputTokens":10,"outputTokens":5,"cacheReadInputTokens":90,"totalTokens":105}}"#
        )
        #expect(answer.choices.first?.message.reasoningContent == "Thinking.")
        #expect(answer.choices.first?.message.content == "Done.")
        #expect(answer.usage == Usage(promptTokens: 100, completionTokens: 5, totalTokens: 105, cachedTokens: 90))
    }

    @Test("LiteLLM #24668: a mapped tool name is restored in the answer")
    func litellm24668_nameRestoredInAnswer() throws {
        let request = ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [.function("github.create_issue", parameters: ["type": "object"])])
        let mapped = BedrockToolNameMap.mappedName(for: "github.create_issue")
        let answer = try self.completion(
            #"{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"\#(mapped)","input":{}}}]}},"stopReason":"tool_use"}"#,
            for: request)
        #expect(answer.choices.first?.message.toolCalls == [ToolCall(id: "t1", name: "github.create_issue", arguments: "{}")])
    }

    @Test("json_schema via the forced tool: its input is the message content, finish stop")
    func forcedToolAnswer() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.user("x")], responseFormat: .jsonSchema(.init(name: "city", schema: ["type": "object"])))
        let answer = try self.completion(
            #"{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"json_response","input":{"name":"Paris"}}}]}},"stopReason":"tool_use"}"#,
            for: request)
        #expect(answer.choices.first?.message.content == #"{"name":"Paris"}"#)
        #expect(answer.choices.first?.message.toolCalls == nil)
        #expect(answer.choices.first?.finishReason == .stop)
    }

    @Test("error: the real 400 and 403 bodies, typed by x-amzn-errortype when given, by status otherwise")
    func errors() {
        let invalid = self.translator.openAIError(fromUpstreamBody: Data(#"{"message": "The provided model identifier is invalid."}"#.utf8), status: 400)
        #expect(invalid == OpenAIErrorBody(message: "The provided model identifier is invalid.", type: "invalid_request_error"))
        let forbidden = self.translator.openAIError(
            fromUpstreamBody: Data(#"{"message":"The security token included in the request is invalid."}"#.utf8), status: 403,
            errorType: "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/")
        #expect(
            forbidden
                == OpenAIErrorBody(message: "The security token included in the request is invalid.", type: "permission_error", code: "UnrecognizedClientException"))
        let typedByBody = self.translator.openAIError(fromUpstreamBody: Data(#"{"__type":"ThrottlingException","Message":"slow down"}"#.utf8), status: 429)
        #expect(typedByBody == OpenAIErrorBody(message: "slow down", type: "rate_limit_error", code: "ThrottlingException"))
    }

    // MARK: Streams (real captures, split at every event-stream message)

    @Test("stream, text (real capture): role first, a chunk per non-empty delta, finish, usage from metadata")
    func streamText() throws {
        let messages = AWSEventStreamTestDecoder.messages(BedrockRealCaptures.streamText)
        #expect(messages.map(\.event) == ["messageStart"] + Array(repeating: "contentBlockDelta", count: 7) + ["contentBlockStop", "messageStop", "metadata"])
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        let envelope = #""created":1700000000,"id":"chatcmpl-test","model":"bedrock:us.amazon.nova-micro-v1:0","object":"chat.completion.chunk""#
        func content(_ text: String) -> String { #"{"choices":[{"delta":{"content":"\#(text)"},"finish_reason":null,"index":0}],"# + envelope + "}" }
        let expected: [String] = [
            #"{"choices":[{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0}],"# + envelope + "}",
            content("Sure"), content("! Here is"), content(" the count"), content(" from 1 to 3"), content(#":\n\n1  \n"#), content(#"2  \n3"#),
            #"{"choices":[{"delta":{},"finish_reason":"stop","index":0}],"# + envelope + "}",
            #"{"choices":[],"# + envelope + #","usage":{"completion_tokens":21,"prompt_tokens":53,"total_tokens":74}}"#,
        ]
        #expect(try TranslatorTestSupport.lines(chunks) == expected)
    }

    @Test("stream, tools (real capture): contentBlockStart toolUse → tool-call start, input delta → arguments, finish tool_calls")
    func streamToolUse() throws {
        let messages = AWSEventStreamTestDecoder.messages(BedrockRealCaptures.streamToolUse)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        let deltas: [ToolCallDelta] = chunks.compactMap { $0.choices.first?.delta.toolCalls?.first }
        #expect(
            deltas == [
                ToolCallDelta(index: 0, id: "tooluse_hsyz7O0QqkhdTHrpQhVYXj", type: "function", function: .init(name: "weather", arguments: "")),
                ToolCallDelta(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: #"{"latitude":"52.5200","longitude":"13.4050"}"#)),
            ])
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.toolCalls])
        #expect(chunks.last?.usage == Usage(promptTokens: 986, completionTokens: 42, totalTokens: 1028))
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
    }

    @Test("stream after the tool result (real capture): text reassembles exactly")
    func streamTextAfterToolResult() throws {
        let messages = AWSEventStreamTestDecoder.messages(BedrockRealCaptures.streamTextAfterToolResult)
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(
            chunks.compactMap { $0.choices.first?.delta.content }.joined()
                == "The current weather in Berlin (52.5200, 13.4050) is **15°C** with a wind speed of **10 km/h**.")
    }

    @Test("the usage chunk is sent only when the client asked (include_usage)")
    func usageOnlyWhenAsked() throws {
        var request = self.streamRequest
        request.streamOptions = nil
        let chunks = try TranslatorTestSupport.run(
            self.translator.makeStreamTranslator(for: request), AWSEventStreamTestDecoder.messages(BedrockRealCaptures.streamText))
        #expect(chunks.allSatisfy { $0.usage == nil })
        #expect(chunks.last?.choices.first?.finishReason == .stop)
    }

    @Test("LiteLLM #24668: a mapped tool name is restored in the stream")
    func litellm24668_nameRestoredInStream() throws {
        var request = self.streamRequest
        request.tools = [.function("server/tool", parameters: ["type": "object"])]
        let mapped = BedrockToolNameMap.mappedName(for: "server/tool")
        let messages = [
            UpstreamStreamMessage(event: "messageStart", json: #"{"role":"assistant"}"#),
            UpstreamStreamMessage(event: "contentBlockStart", json: #"{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t1","name":"\#(mapped)"}}}"#),
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{}"}}}"#),
            UpstreamStreamMessage(event: "messageStop", json: #"{"stopReason":"tool_use"}"#),
        ]
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: request), messages)
        #expect(chunks.compactMap { $0.choices.first?.delta.toolCalls?.first?.function?.name } == ["server/tool"])
    }

    @Test("Bifrost #4679: a stream stopped by max_tokens finishes with length")
    func bifrost4679_streamLength() throws {
        let messages = [
            UpstreamStreamMessage(event: "messageStart", json: #"{"role":"assistant"}"#),
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":0,"delta":{"text":"cut"}}"#),
            UpstreamStreamMessage(event: "messageStop", json: #"{"stopReason":"max_tokens"}"#),
        ]
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.length])
    }

    @Test("reasoningContent deltas stream as reasoning_content; signatures are not text")
    func streamReasoning() throws {
        let messages = [
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Let me see."}}}"#),
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"abc"}}}"#),
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":1,"delta":{"text":"Yes."}}"#),
        ]
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(chunks.map { $0.choices.first?.delta.reasoningContent } == ["Let me see.", nil, nil])
        #expect(chunks.first?.choices.first?.delta.role == "assistant")
        #expect(chunks[1].choices.first?.delta.content == "Yes.")
    }

    @Test("a forced answer tool streams as content")
    func streamForcedTool() throws {
        var request = self.streamRequest
        request.responseFormat = .jsonSchema(.init(name: "c", schema: ["type": "object"]))
        let messages = [
            UpstreamStreamMessage(event: "contentBlockStart", json: #"{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t1","name":"json_response"}}}"#),
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"name\":"}}}"#),
            UpstreamStreamMessage(event: "contentBlockDelta", json: #"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"Paris\"}"}}}"#),
            UpstreamStreamMessage(event: "messageStop", json: #"{"stopReason":"tool_use"}"#),
        ]
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: request), messages)
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == #"{"name":"Paris"}"#)
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.stop])
        #expect(chunks.allSatisfy { $0.choices.first?.delta.toolCalls == nil })
    }

    @Test("an exception event mid-stream becomes an upstream error with its status and type")
    func exceptionEvent() throws {
        var stream = self.translator.makeStreamTranslator(for: self.streamRequest)
        _ = try stream.translate(UpstreamStreamMessage(event: "messageStart", json: #"{"role":"assistant"}"#))
        do {
            _ = try stream.translate(UpstreamStreamMessage(event: "throttlingException", json: #"{"message":"Too many tokens"}"#))
            Issue.record("the exception event was not raised")
        } catch {
            #expect(error.status == 429)
            #expect(error.openAIError == OpenAIErrorBody(message: "Too many tokens", type: "rate_limit_error", code: "throttlingException"))
        }
    }

    @Test("Bifrost #6390: a stream cut before messageStop still closes with a finish chunk")
    func bifrost6390_cutStream() throws {
        let messages = Array(AWSEventStreamTestDecoder.messages(BedrockRealCaptures.streamText).prefix(3))
        let chunks = try TranslatorTestSupport.run(self.translator.makeStreamTranslator(for: self.streamRequest), messages)
        #expect(chunks.last?.choices.first?.finishReason == .stop)
        #expect(chunks.allSatisfy { $0.usage == nil })
    }
}
