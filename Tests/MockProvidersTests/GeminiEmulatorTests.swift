import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("Gemini emulator")
struct GeminiEmulatorTests {
    typealias Support = NativeEmulatorSupport
    static let key = [("x-goog-api-key", GeminiEmulator.apiKey)]
    static let tool: JSONValue = [
        "functionDeclarations": [[
            "name": "get_weather", "description": "Weather",
            "parameters": ["type": "OBJECT", "properties": ["city": ["type": "STRING"]], "required": ["city"]],
        ]]
    ]

    @Test("generateContent answers under v1, v1beta and v1beta1, with the key in a header or ?key=")
    func generate() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            for path in ["/v1/models/gemini-2.5-flash:generateContent", "/v1beta/models/gemini-2.5-flash:generateContent", "/v1beta1/models/gemini-2.5-flash:generateContent?key=\(GeminiEmulator.apiKey)"] {
                let response = try await Support.post(client, path, ["contents": [["role": "user", "parts": [["text": "Hello you"]]]]], headers: path.contains("key=") ? [] : Self.key)
                #expect(response.status == .ok, "\(path)")
                let body = try Support.json(response)
                let candidate = body["candidates"]?.arrayValue?.first
                #expect(candidate?["content"]?["parts"] == [["text": "Echo: Hello you"]])
                #expect(candidate?["content"]?["role"] == "model")
                #expect(candidate?["finishReason"] == "STOP")
                #expect(body["usageMetadata"]?["promptTokenCount"] == 2 && body["usageMetadata"]?["candidatesTokenCount"] == 3)
                #expect(body["modelVersion"] == "gemini-2.5-flash")
            }
        }
    }

    @Test("alt=sse is exactly data: lines ending in CRLF; without it the stream is one JSON array")
    func streamForms() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let body: JSONValue = ["contents": [["role": "user", "parts": [["text": "one two"]]]]]
            let sse = try await Support.post(client, "/v1beta/models/m:streamGenerateContent?alt=sse", body, headers: Self.key)
            #expect(sse.headers[.contentType] == "text/event-stream")
            let text = String(buffer: sse.body)
            let events = text.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
            #expect(events.count == 3)
            #expect(events.allSatisfy { $0.hasPrefix("data: {") && !$0.contains("\n") })
            #expect(text.hasSuffix("\r\n\r\n"))
            let last = try JSONValue(parsing: Data(String(try #require(events.last).dropFirst(6)).utf8))
            #expect(last["candidates"]?.arrayValue?.first?["finishReason"] == "STOP")

            let array = try await Support.post(client, "/v1beta/models/m:streamGenerateContent", body, headers: Self.key)
            #expect(array.headers[.contentType] == "application/json; charset=UTF-8")
            let elements = try #require(try Support.json(array).arrayValue)
            #expect(elements.count == 3)
            #expect(String(buffer: array.body).contains("\n,\r\n"))
        }
    }

    @Test("function calling: upper-case schema types, args valid for the schema; then a functionResponse gets text")
    func functionCalling() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let call = try Support.json(try await Support.post(client, "/v1beta/models/m:generateContent", [
                "contents": [["role": "user", "parts": [["text": "call get_weather please"]]]], "tools": [Self.tool],
            ], headers: Self.key))
            let part = call["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first
            #expect(part?["functionCall"]?["name"] == "get_weather")
            #expect(part?["functionCall"]?["args"]?["city"]?.stringValue != nil)
            let answer = try Support.json(try await Support.post(client, "/v1beta/models/m:generateContent", [
                "contents": [
                    ["role": "user", "parts": [["text": "call get_weather please"]]],
                    ["role": "model", "parts": [["functionCall": ["name": "get_weather", "args": ["city": "Paris"]]]]],
                    ["role": "user", "parts": [["functionResponse": ["name": "get_weather", "response": ["temp": "18C"]]]]],
                ],
                "tools": [Self.tool],
            ], headers: Self.key))
            #expect(answer["candidates"]?.arrayValue?.first?["content"]?["parts"] == [["text": #"Tool result: {"temp":"18C"}"#]])
        }
    }

    @Test("thought parts when includeThoughts is set, counted in thoughtsTokenCount")
    func thoughts() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let body = try Support.json(try await Support.post(client, "/v1beta/models/m:generateContent", [
                "contents": [["role": "user", "parts": [["text": "hi"]]]],
                "generationConfig": ["thinkingConfig": ["includeThoughts": true]],
            ], headers: Self.key))
            let parts = try #require(body["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue)
            #expect(parts.first?["thought"] == true)
            #expect((body["usageMetadata"]?["thoughtsTokenCount"]?.intValue ?? 0) > 0)
        }
    }

    @Test("errors are google.rpc.Status: 400 API_KEY_INVALID, 403 without a key, 429 with RetryInfo, 400 without contents")
    func errors() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let body: JSONValue = ["contents": [["parts": [["text": "x"]]]]]
            let wrong = try await Support.post(client, "/v1beta/models/m:generateContent", body, headers: [("x-goog-api-key", "nope")])
            #expect(wrong.status == .badRequest)
            #expect(try Support.json(wrong)["error"]?["status"] == "INVALID_ARGUMENT")
            #expect(try Support.json(wrong)["error"]?["details"]?.arrayValue?.first?["reason"] == "API_KEY_INVALID")
            let missing = try await Support.post(client, "/v1beta/models/m:generateContent", body, headers: [])
            #expect(missing.status == .forbidden)
            #expect(try Support.json(missing)["error"]?["status"] == "PERMISSION_DENIED")
            let limited = try await Support.post(client, "/v1beta/models/m@rate-limit:generateContent", body, headers: Self.key)
            #expect(limited.status == .tooManyRequests)
            #expect(try Support.json(limited)["error"]?["status"] == "RESOURCE_EXHAUSTED")
            #expect(try Support.json(limited)["error"]?["details"]?.arrayValue?.last?["retryDelay"] == "1s")
            let empty = try await Support.post(client, "/v1beta/models/m:generateContent", [:], headers: Self.key)
            #expect(empty.status == .badRequest)
            #expect(try Support.json(empty)["error"]?["code"] == 400)
        }
    }

    @Test("countTokens, embedContent, batchEmbedContents and models")
    func auxiliary() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let count = try Support.json(try await Support.post(client, "/v1beta/models/m:countTokens", ["contents": [["parts": [["text": "a b c"]]]]], headers: Self.key))
            #expect(count["totalTokens"] == 3)
            let one = try Support.json(try await Support.post(client, "/v1beta/models/gemini-embedding-001:embedContent", ["content": ["parts": [["text": "a"]]], "outputDimensionality": 8], headers: Self.key))
            #expect(one["embedding"]?["values"]?.arrayValue?.count == 8)
            let batch = try Support.json(try await Support.post(client, "/v1beta/models/gemini-embedding-001:batchEmbedContents", [
                "requests": [["model": "models/gemini-embedding-001", "content": ["parts": [["text": "a"]]]], ["model": "models/gemini-embedding-001", "content": ["parts": [["text": "b"]]]]],
            ], headers: Self.key))
            #expect(batch["embeddings"]?.arrayValue?.count == 2)
            let models = try Support.json(try await client.execute(uri: "/v1beta/models", method: .get, headers: Support.fields(Self.key)))
            #expect(models["models"]?.arrayValue?.first?["name"] == "models/gemini-2.5-flash")
        }
    }
}
