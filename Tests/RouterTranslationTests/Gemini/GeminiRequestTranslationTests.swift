import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Gemini request translation")
struct GeminiRequestTranslationTests {
    let translator = GeminiChatTranslator(identities: TranslatorTestSupport.identity)

    func translate(_ request: ChatCompletionRequest, model: String = "gemini-2.5-flash") throws -> (TranslatedRequest, JSONValue) {
        let translated = try self.translator.upstreamRequest(for: request, model: model)
        return (translated, try TranslatorTestSupport.json(translated.body))
    }

    static let weatherTool = ChatTool.function(
        "get_weather", description: "Weather for a city",
        parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]])

    @Test("text, non-stream: generateContent path and the exact body")
    func textNonStream() throws {
        let (translated, body) = try self.translate(ChatCompletionRequest(model: "gemini:gemini-2.5-flash", messages: [.user("Hello")]))
        #expect(translated.operationPath == "/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(!translated.isStreaming)
        #expect(translated.dropped.isEmpty)
        #expect(body == ["contents": [["role": "user", "parts": [["text": "Hello"]]]]])
    }

    @Test("text, stream: streamGenerateContent with alt=sse, same body")
    func textStream() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.user("Hello")], stream: true, streamOptions: .init(includeUsage: true))
        let (translated, body) = try self.translate(request, model: "models/gemini-2.5-flash")
        #expect(translated.operationPath == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        #expect(translated.isStreaming)
        #expect(body == ["contents": [["role": "user", "parts": [["text": "Hello"]]]]])
    }

    @Test("Vertex AI: the publisher-model path")
    func vertexPath() throws {
        let vertex = GeminiChatTranslator(modelsPath: GeminiChatTranslator.vertexModelsPath(project: "p", location: "global"))
        let translated = try vertex.upstreamRequest(for: ChatCompletionRequest(model: "m", messages: [.user("x")]), model: "gemini-2.5-flash")
        #expect(translated.operationPath == "/v1beta1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent")
    }

    @Test("system and developer messages become systemInstruction; sampling settings go to generationConfig")
    func systemAndGenerationConfig() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.system("Be brief."), .developer("Answer in French."), .user("Hi")],
            stop: ["END"], temperature: 0.2, topP: 0.9, maxTokens: 50, maxCompletionTokens: 100, n: 2, seed: 7)
        let (translated, body) = try self.translate(request)
        #expect(
            body == [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "systemInstruction": ["parts": [["text": "Be brief."], ["text": "Answer in French."]]],
                "generationConfig": [
                    "temperature": 0.2, "topP": 0.9, "maxOutputTokens": 100, "stopSequences": ["END"],
                    "candidateCount": 2, "seed": 7,
                ],
            ])
        #expect(translated.dropped.isEmpty)
    }

    @Test("multi-turn: assistant becomes model, order kept")
    func multiTurn() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.user("Hi"), .assistant("Hello!"), .user("How are you?")])
        let (_, body) = try self.translate(request)
        #expect(
            body["contents"] == [
                ["role": "user", "parts": [["text": "Hi"]]],
                ["role": "model", "parts": [["text": "Hello!"]]],
                ["role": "user", "parts": [["text": "How are you?"]]],
            ])
    }

    @Test("tools: declarations with sanitised schemas, every tool_choice mapped (named → ANY + allowedFunctionNames)")
    func toolsAndToolChoice() throws {
        let cases: [(ToolChoice, JSONValue)] = [
            (.auto, ["functionCallingConfig": ["mode": "AUTO"]]),
            (.none, ["functionCallingConfig": ["mode": "NONE"]]),
            (.required, ["functionCallingConfig": ["mode": "ANY"]]),
            (.function(name: "get_weather"), ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_weather"]]]),
        ]
        for (choice, expected) in cases {
            let request = ChatCompletionRequest(model: "m", messages: [.user("Weather?")], tools: [Self.weatherTool], toolChoice: choice)
            let (_, body) = try self.translate(request)
            #expect(body["toolConfig"] == expected)
            #expect(
                body["tools"] == [
                    [
                        "functionDeclarations": [
                            [
                                "name": "get_weather", "description": "Weather for a city",
                                "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
                            ]
                        ]
                    ]
                ])
        }
    }

    @Test("Portkey #837: a strict OpenAI tool reaches Gemini without additionalProperties or strict, and the drop is reported")
    func portkey837_strictToolSanitised() throws {
        let tool = ChatTool.function(
            "lookup", parameters: ["type": "object", "properties": ["q": ["type": "string"]], "additionalProperties": false],
            strict: true)
        let (translated, body) = try self.translate(ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [tool]))
        #expect(body["tools"]?.arrayValue?.first?["functionDeclarations"]?.arrayValue?.first?["parameters"] == ["type": "object", "properties": ["q": ["type": "string"]]])
        #expect(translated.dropped.map(\.kind) == ["tools[].function.strict", "schema keyword additionalProperties"])
        #expect(!String(decoding: translated.body, as: UTF8.self).contains("additionalProperties"))
    }

    @Test("Portkey #1546: a schema Gemini cannot express is a 400 naming the tool, before any upstream call")
    func portkey1546_unexpressibleSchemaIs400() throws {
        let recursive: JSONValue = [
            "type": "object", "$defs": ["Node": ["type": "object", "properties": ["next": ["$ref": "#/$defs/Node"]]]],
            "properties": ["head": ["$ref": "#/$defs/Node"]],
        ]
        let request = ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [.function("walk", parameters: recursive)])
        #expect(throws: TranslationError.self) { try self.translator.upstreamRequest(for: request, model: "m") }
        do {
            _ = try self.translator.upstreamRequest(for: request, model: "m")
        } catch {
            #expect(error.status == 400)
            #expect(error.openAIError.param == "tools[0].function.parameters")
            #expect(error.openAIError.message.contains("recursive"))
        }
    }

    @Test("an argument-less tool is declared without parameters (Gemini rejects an empty OBJECT)")
    func argumentlessTool() throws {
        let tool = ChatTool.function("now", parameters: ["type": "object", "properties": [:]])
        let (_, body) = try self.translate(ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [tool]))
        #expect(body["tools"] == [["functionDeclarations": [["name": "now"]]]])
    }

    @Test("a named tool_choice for an undeclared tool is a 400")
    func namedChoiceMustExist() {
        let request = ChatCompletionRequest(model: "m", messages: [.user("x")], tools: [Self.weatherTool], toolChoice: .function(name: "other"))
        #expect(throws: TranslationError.invalidRequest(field: "tool_choice", message: "tool_choice names \"other\", which is not among the tools")) {
            try self.translator.upstreamRequest(for: request, model: "m")
        }
    }

    @Test("tool-result round trip: functionCall with the thought signature restored, functionResponse under the function's real name")
    func toolResultRoundTrip() throws {
        let signature = GeminiToolCallIDTests.realSignature
        let id = GeminiToolCallID.encode(callID: "call_1", thoughtSignature: signature)
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("Weather in Paris?"),
                .assistant(nil, toolCalls: [ToolCall(id: id, name: "get_weather", arguments: #"{"city":"Paris"}"#)]),
                .tool(callId: id, #"{"temp":18,"unit":"C"}"#),
            ],
            tools: [Self.weatherTool])
        let (_, body) = try self.translate(request)
        #expect(
            body["contents"] == [
                ["role": "user", "parts": [["text": "Weather in Paris?"]]],
                [
                    "role": "model",
                    "parts": [
                        [
                            "functionCall": ["id": "call_1", "name": "get_weather", "args": ["city": "Paris"]],
                            "thoughtSignature": .string(signature),
                        ]
                    ],
                ],
                [
                    "role": "user",
                    "parts": [
                        ["functionResponse": ["id": "call_1", "name": "get_weather", "response": ["temp": 18, "unit": "C"]]]
                    ],
                ],
            ])
    }

    @Test("a tool result that is not a JSON object is sent as {\"content\": text}; Archestra's fixed name \"tool_result\" is not used")
    func plainTextToolResult() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("x"),
                .assistant(nil, toolCalls: [ToolCall(id: "c1", name: "get_weather", arguments: "")]),
                .tool(callId: "c1", "18 degrees"),
            ])
        let (_, body) = try self.translate(request)
        #expect(body["contents"]?.arrayValue?[1] == ["role": "model", "parts": [["functionCall": ["id": "c1", "name": "get_weather", "args": [:]]]]])
        #expect(
            body["contents"]?.arrayValue?[2]
                == ["role": "user", "parts": [["functionResponse": ["id": "c1", "name": "get_weather", "response": ["content": "18 degrees"]]]]])
        #expect(!String(decoding: try self.translator.upstreamRequest(for: request, model: "m").body, as: UTF8.self).contains("tool_result"))
    }

    @Test("parallel tools: two calls in one model turn, both results merged into one user turn")
    func parallelToolResultsMerged() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("Paris and Rome?"),
                .assistant(
                    nil,
                    toolCalls: [
                        ToolCall(id: "a", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                        ToolCall(id: "b", name: "get_weather", arguments: #"{"city":"Rome"}"#),
                    ]),
                .tool(callId: "a", "18"), .tool(callId: "b", "24"),
            ])
        let (_, body) = try self.translate(request)
        let contents = try #require(body["contents"]?.arrayValue)
        #expect(contents.count == 3)
        #expect(contents[1]["parts"]?.arrayValue?.count == 2)
        #expect(
            contents[2] == [
                "role": "user",
                "parts": [
                    ["functionResponse": ["id": "a", "name": "get_weather", "response": ["content": "18"]]],
                    ["functionResponse": ["id": "b", "name": "get_weather", "response": ["content": "24"]]],
                ],
            ])
    }

    @Test("Portkey #1761: legacy role function messages are mapped to functionResponse by their name")
    func portkey1761_functionRoleMapped() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user("x"),
                ChatMessage(role: .function, content: .text(#"{"ok":true}"#), name: "get_weather"),
            ])
        let (_, body) = try self.translate(request)
        #expect(
            body["contents"]?.arrayValue?.last
                == ["role": "user", "parts": [["functionResponse": ["name": "get_weather", "response": ["ok": true]]]]])
    }

    @Test("a tool message answering no known call is a 400, not a guessed name")
    func orphanToolMessage() throws {
        let request = ChatCompletionRequest(model: "m", messages: [.user("x"), .tool(callId: "nope", "r")])
        do {
            _ = try self.translator.upstreamRequest(for: request, model: "m")
            Issue.record("an orphan tool message was translated")
        } catch {
            #expect(error.status == 400)
            #expect(error.openAIError.param == "messages[1].tool_call_id")
        }
    }

    @Test("images: data: URLs become inlineData, http(s) URLs fileData with a MIME type (Archestra drops them)")
    func images() throws {
        let request = ChatCompletionRequest(
            model: "m",
            messages: [
                .user([
                    .text("What is this?"),
                    .imageURL(url: "data:image/png;base64,iVBORw0KGgo=", detail: nil),
                    .imageURL(url: "https://example.com/cat.JPG?size=2", detail: "high"),
                    .imageURL(url: "https://example.com/render", detail: nil),
                ])
            ])
        let (translated, body) = try self.translate(request)
        #expect(
            body["contents"] == [
                [
                    "role": "user",
                    "parts": [
                        ["text": "What is this?"],
                        ["inlineData": ["mimeType": "image/png", "data": "iVBORw0KGgo="]],
                        ["fileData": ["mimeType": "image/jpeg", "fileUri": "https://example.com/cat.JPG?size=2"]],
                        ["fileData": ["fileUri": "https://example.com/render"]],
                    ],
                ]
            ])
        #expect(translated.dropped.isEmpty)
    }

    @Test("what Gemini cannot take is reported as dropped")
    func droppedReported() throws {
        var request = ChatCompletionRequest(
            model: "m", messages: [.user([.text("x"), .file(fileId: "file-1", fileData: nil, filename: nil)])],
            parallelToolCalls: false, logprobs: true, user: "u1")
        request.unknownFields = ["logit_bias": ["1": 2]]
        let (translated, _) = try self.translate(request)
        #expect(
            translated.dropped.map(\.kind) == ["logit_bias", "file (file_id)", "parallel_tool_calls", "logprobs", "user"])
    }

    @Test("response_format json_schema → responseMimeType application/json + sanitised responseSchema")
    func jsonSchemaResponseFormat() throws {
        let format = ResponseFormat.JSONSchemaFormat(
            name: "answer",
            schema: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"], "additionalProperties": false],
            strict: true)
        let (_, body) = try self.translate(ChatCompletionRequest(model: "m", messages: [.user("x")], responseFormat: .jsonSchema(format)))
        #expect(
            body["generationConfig"] == [
                "responseMimeType": "application/json",
                "responseSchema": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
            ])
    }

    @Test("reasoning_effort asks for a thinking budget and thought summaries")
    func reasoningEffort() throws {
        let (_, body) = try self.translate(ChatCompletionRequest(model: "m", messages: [.user("x")], reasoningEffort: "low"))
        #expect(body["generationConfig"] == ["thinkingConfig": ["includeThoughts": true, "thinkingBudget": 1024]])
    }

    @Test("n > 1 on a stream is refused rather than half-translated")
    func streamingCandidatesRefused() {
        let request = ChatCompletionRequest(model: "m", messages: [.user("x")], n: 2, stream: true)
        #expect(throws: TranslationError.self) { try self.translator.upstreamRequest(for: request, model: "m") }
    }
}
