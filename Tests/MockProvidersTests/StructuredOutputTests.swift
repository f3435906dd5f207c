import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// Structured output through the one ``JSONSchemaValueGenerator``: Gemini `responseSchema`,
/// OpenAI `response_format`, Anthropic forced `tool_choice`.
@Suite("Structured output")
struct StructuredOutputTests {
    typealias Support = NativeEmulatorSupport
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "title": ["type": "string", "minLength": 3], "rating": ["type": "integer", "minimum": 1, "maximum": 5],
            "tags": ["type": "array", "items": ["type": "string"], "minItems": 2], "mood": ["enum": ["happy", "sad"]],
            "author": ["$ref": "#/$defs/Person"], "extra": ["anyOf": [["type": "number"], ["type": "null"]]],
        ],
        "required": ["title", "rating", "tags", "mood", "author", "extra"],
        "additionalProperties": false,
        "$defs": ["Person": ["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"]]],
    ]
    /// Gemini's OpenAPI subset, upper-case types.
    static let geminiSchema: JSONValue = [
        "type": "OBJECT",
        "properties": ["city": ["type": "STRING"], "days": ["type": "INTEGER"], "ok": ["type": "BOOLEAN"], "temps": ["type": "ARRAY", "items": ["type": "NUMBER"]]],
        "required": ["city", "days", "ok", "temps"],
    ]

    static func lowercased(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let object):
            .object(object.mapValues(Self.lowercased).merging(object["type"]?.stringValue.map { ["type": .string($0.lowercased())] } ?? [:]) { _, new in new })
        case .array(let items): .array(items.map(Self.lowercased))
        default: schema
        }
    }

    @Test("the generator reads upper-case types and answers a value valid against the lower-cased schema")
    func upperCaseTypes() throws {
        let value = JSONSchemaValueGenerator(rootSchema: Self.geminiSchema).value()
        #expect(JSONSchemaValidator.problems(value, against: Self.lowercased(Self.geminiSchema)) == [])
        #expect(value["temps"]?.arrayValue?.count == 1)
    }

    @Test("Gemini responseSchema (upper case) and responseJsonSchema: the text is valid JSON, streamed too", arguments: ["responseSchema", "responseJsonSchema"])
    func gemini(key: String) async throws {
        let schema = key == "responseSchema" ? Self.geminiSchema : Self.schema
        let expected = key == "responseSchema" ? Self.lowercased(Self.geminiSchema) : Self.schema
        let body: JSONValue = [
            "contents": [["role": "user", "parts": [["text": "weather please"]]]],
            "generationConfig": ["responseMimeType": "application/json", .init(stringLiteral: key): schema],
        ]
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let answer = try Support.json(try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", body, headers: GeminiEmulatorTests.key))
            let text = try #require(answer["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first?["text"]?.stringValue)
            #expect(JSONSchemaValidator.problems(try JSONValue(parsing: Data(text.utf8)), against: expected) == [])
            let stream = try await Support.post(client, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body, headers: GeminiEmulatorTests.key)
            let chunks = try String(buffer: stream.body).components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
                .map { try JSONValue(parsing: Data($0.dropFirst("data: ".count).utf8)) }
            #expect(chunks.count > 1)
            let streamed = chunks.compactMap { $0["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first?["text"]?.stringValue }.joined()
            #expect(streamed == text)
            let mismatched: JSONValue = ["contents": body["contents"] ?? [], "generationConfig": ["responseMimeType": "text/plain", "responseSchema": schema]]
            #expect(try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", mismatched, headers: GeminiEmulatorTests.key).status == .badRequest)
        }
    }

    @Test("OpenAI response_format json_schema and json_object give JSON content, streamed and not")
    func openAI() async throws {
        try await EmulatorTestSupport.makeApplication().test(.router) { client in
            let format: JSONValue = ["type": "json_schema", "json_schema": ["name": "review", "strict": true, "schema": Self.schema]]
            let request: JSONValue = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "review it"]], "response_format": format]
            let answer = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", request))
            let content = try #require(answer["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue)
            #expect(JSONSchemaValidator.problems(try JSONValue(parsing: Data(content.utf8)), against: Self.schema) == [])
            var streaming = request.objectValue ?? [:]
            streaming["stream"] = true
            let chunks = try EmulatorTestSupport.dataObjects(try await EmulatorTestSupport.post(client, "/v1/chat/completions", .object(streaming)))
            #expect(chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined() == content)
            let object = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "hi"]], "response_format": ["type": "json_object"],
            ]))
            let objectText = try #require(object["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue)
            #expect(try JSONValue(parsing: Data(objectText.utf8)).objectValue != nil)
            let responses = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/responses", [
                "model": "gpt-4o-mini", "input": "review it", "text": ["format": ["type": "json_schema", "name": "review", "schema": Self.schema]],
            ]))
            #expect(responses["output_text"] != nil || responses["output"] != nil)
            let outputText = responses["output"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(JSONSchemaValidator.problems(try JSONValue(parsing: Data(outputText.utf8)), against: Self.schema) == [])
        }
    }

    @Test("Anthropic tool_choice tool: a tool_use of that tool, input valid; streamed input_json_delta joins to it")
    func anthropic() async throws {
        let body: JSONValue = [
            "model": "claude-sonnet-4-5", "max_tokens": 200, "messages": [["role": "user", "content": "review it"]],
            "tools": [["name": "noise", "input_schema": ["type": "object"]], ["name": "review", "input_schema": Self.schema]],
            "tool_choice": ["type": "tool", "name": "review"],
        ]
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let answer = try Support.json(try await Support.post(client, "/v1/messages", body, headers: AnthropicEmulatorTests.key))
            let block = try #require(answer["content"]?.arrayValue?.first)
            #expect(block["type"] == "tool_use" && block["name"] == "review")
            let input = try #require(block["input"])
            #expect(JSONSchemaValidator.problems(input, against: Self.schema) == [])
            var streaming = body.objectValue ?? [:]
            streaming["stream"] = true
            let events = try Support.namedEvents(try await Support.post(client, "/v1/messages", .object(streaming), headers: AnthropicEmulatorTests.key))
            let joined = events.compactMap { $0.data["delta"]?["partial_json"]?.stringValue }.joined()
            #expect(try JSONValue(parsing: Data(joined.utf8)) == input)
            var thinking = body.objectValue ?? [:]
            thinking["thinking"] = ["type": "enabled", "budget_tokens": 1024]
            thinking["max_tokens"] = 2000
            #expect(try await Support.post(client, "/v1/messages", .object(thinking), headers: AnthropicEmulatorTests.key).status == .badRequest)
        }
    }

    @Test("Anthropic accepts base64 and url images and refuses an unsupported media type or a missing url")
    func anthropicImages() async throws {
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            func send(_ source: JSONValue) async throws -> TestResponse {
                try await Support.post(client, "/v1/messages", [
                    "model": "claude-sonnet-4-5", "max_tokens": 50,
                    "messages": [["role": "user", "content": [["type": "image", "source": source], ["type": "text", "text": "what is it"]]]],
                ], headers: AnthropicEmulatorTests.key)
            }
            let base64 = try await send(["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="])
            #expect(try Support.json(base64)["content"]?.arrayValue?.first?["text"] == "Echo: what is it")
            #expect(try await send(["type": "url", "url": "https://example.com/cat.png"]).status == .ok)
            let bmp = try await send(["type": "base64", "media_type": "image/bmp", "data": "iVBORw0KGgo="])
            #expect(bmp.status == .badRequest)
            #expect(try Support.json(bmp)["error"]?["type"] == "invalid_request_error")
            #expect(try await send(["type": "url"]).status == .badRequest)
        }
    }
}
