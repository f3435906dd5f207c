import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("Cohere emulator")
struct CohereEmulatorTests {
    typealias Support = NativeEmulatorSupport
    static let key = [("authorization", "Bearer \(CohereEmulator.apiKey)")]
    static let tool: JSONValue = [
        "type": "function",
        "function": ["name": "get_weather", "description": "Weather", "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]],
    ]

    @Test("v2 chat answers with message content, finish_reason and billed usage")
    func chat() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let body = try Support.json(try await Support.post(client, "/v2/chat", ["model": "command-a", "stream": false, "messages": [["role": "user", "content": "Hi all"]]], headers: Self.key))
            #expect(body["message"]?["content"] == [["type": "text", "text": "Echo: Hi all"]])
            #expect(body["finish_reason"] == "COMPLETE")
            #expect(body["usage"]?["billed_units"] == ["input_tokens": 2, "output_tokens": 3])
        }
    }

    @Test("a v2 tool stream: message-start, tool-plan-delta, tool-call-start/delta/end, message-end TOOL_CALL, [DONE]")
    func toolStream() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let response = try await Support.post(client, "/v2/chat", [
                "model": "command-a", "stream": true, "tools": [Self.tool], "messages": [["role": "user", "content": "use get_weather"]],
            ], headers: Self.key)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = EmulatorTestSupport.events(response)
            #expect(events.last?.data == "[DONE]")
            let typed = try events.dropLast().map { ($0.event, try JSONValue(parsing: Data($0.data.utf8))) }
            #expect(typed.allSatisfy { $0.0 == $0.1["type"]?.stringValue })
            var order: [String] = []
            for (name, _) in typed where order.last != name { order.append(name ?? "") }
            #expect(order == ["message-start", "tool-plan-delta", "tool-call-start", "tool-call-delta", "tool-call-end", "message-end"])
            let arguments = typed.compactMap { $0.1["delta"]?["message"]?["tool_calls"]?["function"]?["arguments"]?.stringValue }.joined()
            #expect(try JSONValue(parsing: Data(arguments.utf8))["city"]?.stringValue != nil)
            #expect(typed.last?.1["delta"]?["finish_reason"] == "TOOL_CALL")
        }
    }

    @Test("v1 chat streams JSON lines ending in stream-end")
    func v1Stream() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let response = try await Support.post(client, "/v1/chat", ["model": "command-r", "message": "hi there", "stream": true], headers: Self.key)
            #expect(response.headers[.contentType] == "application/stream+json")
            let lines = try String(buffer: response.body).split(separator: "\n").map { try JSONValue(parsing: Data($0.utf8)) }
            #expect(lines.first?["event_type"] == "stream-start")
            #expect(lines.last?["event_type"] == "stream-end")
            #expect(lines.last?["response"]?["text"] == "Echo: hi there")
        }
    }

    @Test("errors: 401 with Cohere's message, 429 and 400 as {message}")
    func errors() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let body: JSONValue = ["model": "m", "messages": [["role": "user", "content": "x"]]]
            let wrong = try await Support.post(client, "/v2/chat", body, headers: [("authorization", "Bearer bad")])
            #expect(wrong.status == .unauthorized)
            #expect(try Support.json(wrong)["message"]?.stringValue?.hasPrefix("Incorrect API key") == true)
            let limited = try await Support.post(client, "/v2/chat", body, headers: Self.key + [("x-mock-scenario", "rate-limit")])
            #expect(limited.status == .tooManyRequests)
            let empty = try await Support.post(client, "/v2/chat", ["model": "m", "messages": []], headers: Self.key)
            #expect(empty.status == .badRequest)
            #expect(try Support.json(empty)["message"] != nil)
        }
    }
}
