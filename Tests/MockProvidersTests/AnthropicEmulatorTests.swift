import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// Helpers for the native-dialect emulators: an app around a router, requests with headers.
enum NativeEmulatorSupport {
    static func application(_ router: Router<BasicRequestContext>) -> some ApplicationProtocol {
        Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    static func fields(_ pairs: [(String, String)]) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        for (name, value) in pairs {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ body: JSONValue, headers: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: Self.fields(headers), body: ByteBuffer(bytes: body.encodedData()))
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue(parsing: Data(response.body.readableBytesView))
    }

    /// Named SSE events (`event:` + JSON data), in order.
    static func namedEvents(_ response: TestResponse) throws -> [(name: String?, data: JSONValue)] {
        try EmulatorTestSupport.events(response).map { ($0.event, try JSONValue(parsing: Data($0.data.utf8))) }
    }
}

@Suite("Anthropic emulator")
struct AnthropicEmulatorTests {
    typealias Support = NativeEmulatorSupport
    static let key = [("x-api-key", AnthropicEmulator.apiKey)]
    static let weatherTool: JSONValue = [
        "name": "get_weather", "description": "Weather",
        "input_schema": ["type": "object", "properties": ["city": ["type": "string"], "days": ["type": "integer", "minimum": 1]], "required": ["city", "days"]],
    ]

    @Test("a message answers Echo with usage; x-api-key and Bearer are both accepted")
    func message() async throws {
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            for auth in [Self.key, [("authorization", "Bearer \(AnthropicEmulator.apiKey)")]] {
                let response = try await Support.post(client, "/v1/messages", ["model": "claude-x", "max_tokens": 50, "messages": [["role": "user", "content": "Hi there"]]], headers: auth)
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("request-id")!]?.hasPrefix("req_") == true)
                let message = try Support.json(response)
                #expect(message["type"] == "message" && message["role"] == "assistant" && message["model"] == "claude-x")
                #expect(message["content"] == [["type": "text", "text": "Echo: Hi there"]])
                #expect(message["stop_reason"] == "end_turn")
                #expect(message["usage"]?["input_tokens"] == 2 && message["usage"]?["output_tokens"] == 3)
            }
        }
    }

    @Test("the stream has thinking with signature_delta, ping, tool_use with input_json_delta that forms schema-valid input, and final usage")
    func fullStream() async throws {
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let response = try await Support.post(client, "/v1/messages", [
                "model": "claude-x", "max_tokens": 4096, "stream": true, "thinking": ["type": "enabled", "budget_tokens": 1024],
                "tools": [Self.weatherTool], "messages": [["role": "user", "content": "Use get_weather for Paris"]],
            ], headers: Self.key)
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            let events = try Support.namedEvents(response)
            let names = events.map { $0.name ?? "" }
            // Every event's name is its data's type.
            #expect(events.allSatisfy { $0.name == $0.data["type"]?.stringValue })
            #expect(names.first == "message_start" && names.last == "message_stop")
            #expect(names.contains("ping"))
            let deltas = events.compactMap { $0.data["delta"]?["type"]?.stringValue }
            #expect(deltas.contains("thinking_delta"))
            let signatureIndex = try #require(names.indices.first { events[$0].data["delta"]?["type"] == "signature_delta" })
            #expect(names[signatureIndex + 1] == "content_block_stop")
            let starts = events.compactMap { $0.data["type"] == "content_block_start" ? $0.data["content_block"]?["type"]?.stringValue : nil }
            #expect(starts == ["thinking", "tool_use"])
            let json = events.compactMap { $0.data["delta"]?["partial_json"]?.stringValue }.joined()
            let input = try JSONValue(parsing: Data(json.utf8))
            #expect(JSONSchemaValidator.problems(input, against: Self.weatherTool["input_schema"] ?? nil).isEmpty)
            let messageDelta = try #require(events.first { $0.name == "message_delta" })
            #expect(messageDelta.data["delta"]?["stop_reason"] == "tool_use")
            #expect((messageDelta.data["usage"]?["output_tokens"]?.intValue ?? 0) > 1)
        }
    }

    @Test("real validation and error bodies: missing key, wrong key, missing max_tokens, unknown route")
    func errors() async throws {
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let body: JSONValue = ["model": "m", "max_tokens": 5, "messages": [["role": "user", "content": "x"]]]
            let missing = try await Support.post(client, "/v1/messages", body, headers: [])
            #expect(missing.status == .unauthorized)
            #expect(try Support.json(missing)["error"]?["type"] == "authentication_error")
            let wrong = try await Support.post(client, "/v1/messages", body, headers: [("x-api-key", "sk-ant-wrong")])
            #expect(wrong.status == .unauthorized)
            let noMax = try await Support.post(client, "/v1/messages", ["model": "m", "messages": []], headers: Self.key)
            #expect(noMax.status == .badRequest)
            #expect(try Support.json(noMax) == ["type": "error", "error": ["type": "invalid_request_error", "message": "max_tokens: Field required"], "request_id": try Support.json(noMax)["request_id"] ?? nil])
            let unknown = try await client.execute(uri: "/v1/nothing", method: .get, headers: Support.fields(Self.key))
            #expect(unknown.status == .notFound)
            #expect(try Support.json(unknown)["error"]?["type"] == "not_found_error")
        }
    }

    @Test("scenarios: 529 overloaded, 429 with rate-limit headers, an in-band error event mid-stream")
    func scenarios() async throws {
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let body: JSONValue = ["model": "m", "max_tokens": 50, "stream": true, "messages": [["role": "user", "content": "one two three four"]]]
            let overloaded = try await Support.post(client, "/v1/messages", body, headers: Self.key + [("x-mock-scenario", "unavailable")])
            #expect(overloaded.status.code == 529)
            #expect(try Support.json(overloaded)["error"]?["type"] == "overloaded_error")
            let limited = try await Support.post(client, "/v1/messages", body, headers: Self.key + [("x-mock-scenario", "rate-limit; retry-after=3")])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "3")
            #expect(limited.headers[HTTPField.Name("anthropic-ratelimit-requests-remaining")!] == "0")
            #expect(try Support.json(limited)["error"]?["type"] == "rate_limit_error")
            let inBand = try await Support.post(client, "/v1/messages", body, headers: Self.key + [("x-mock-scenario", "drop-mid-stream; in-band=true; after-frames=3")])
            #expect(inBand.status == .ok)
            let events = try Support.namedEvents(inBand)
            #expect(events.count == 4)
            #expect(events.last?.name == "error")
            #expect(events.last?.data["error"]?["type"] == "overloaded_error")
        }
    }

    @Test("models list and count_tokens")
    func modelsAndCount() async throws {
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let models = try Support.json(try await client.execute(uri: "/v1/models", method: .get, headers: Support.fields(Self.key)))
            #expect(models["has_more"] == false)
            #expect(models["data"]?.arrayValue?.first?["type"] == "model")
            let count = try await Support.post(client, "/v1/messages/count_tokens", ["model": "m", "messages": [["role": "user", "content": "a b c"]]], headers: Self.key)
            #expect(try Support.json(count) == ["input_tokens": 3])
        }
    }
}
