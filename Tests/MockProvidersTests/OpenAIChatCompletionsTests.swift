import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import MockProviders
import Testing
import WireFormats

@Suite("OpenAI emulator: Chat Completions")
struct OpenAIChatCompletionsTests {
    typealias Support = EmulatorTestSupport

    static let weatherTool: JSONValue = [
        "type": "function",
        "function": [
            "name": "get_weather",
            "parameters": [
                "type": "object",
                "properties": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["celsius", "fahrenheit"]]],
                "required": ["city"],
                "additionalProperties": false,
            ],
        ],
    ]

    @Test("a non-stream answer echoes the last user message with word-count usage")
    func nonStreamEcho() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(
                client, "/v1/chat/completions",
                ["model": "gpt-4o-mini", "messages": [["role": "system", "content": "be brief"], ["role": "user", "content": "hello there"]]]
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let body = try Support.json(response)
            #expect(body["object"] == "chat.completion")
            #expect(body["model"] == "gpt-4o-mini")
            let choice = try #require(body["choices"]?.arrayValue?.first)
            #expect(choice["message"]?["content"] == "Echo: hello there")
            #expect(choice["message"]?["role"] == "assistant")
            #expect(choice["finish_reason"] == "stop")
            #expect(body["usage"]?["prompt_tokens"] == 4)
            #expect(body["usage"]?["completion_tokens"] == 3)
            #expect(body["usage"]?["total_tokens"] == 7)
        }
    }

    @Test("the same request gets the same id, a different one another id")
    func stableIDs() async throws {
        try await Support.makeApplication().test(.router) { client in
            let request: JSONValue = ["model": "gpt-4o", "messages": [["role": "user", "content": "same"]]]
            let first = try Support.json(try await Support.post(client, "/v1/chat/completions", request))
            let second = try Support.json(try await Support.post(client, "/v1/chat/completions", request))
            let other = try Support.json(
                try await Support.post(client, "/v1/chat/completions", ["model": "gpt-4o", "messages": [["role": "user", "content": "other"]]])
            )
            #expect(first["id"] == second["id"])
            #expect(first["id"] != other["id"])
            #expect(first["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
        }
    }

    @Test("max_tokens and max_completion_tokens cut the answer with finish_reason length")
    func maxTokens() async throws {
        try await Support.makeApplication().test(.router) { client in
            for field in ["max_tokens", "max_completion_tokens"] {
                var request: [String: JSONValue] = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "one two three"]]]
                request[field] = 2
                let response = try await Support.post(client, "/v1/chat/completions", .object(request))
                let choice = try #require(try Support.json(response)["choices"]?.arrayValue?.first)
                #expect(choice["message"]?["content"] == "Echo: one")
                #expect(choice["finish_reason"] == "length")
            }
        }
    }

    @Test("n gives n choices and counts completion tokens for each")
    func multipleChoices() async throws {
        try await Support.makeApplication().test(.router) { client in
            let body = try Support.json(
                try await Support.post(client, "/v1/chat/completions", ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "hi"]], "n": 2])
            )
            #expect(body["choices"]?.arrayValue?.compactMap { $0["index"]?.intValue } == [0, 1])
            #expect(body["usage"]?["completion_tokens"] == 4)
        }
    }

    @Test("a stream is data-only SSE ending in [DONE], with usage in one extra chunk when asked")
    func streamWithUsage() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(
                client, "/v1/chat/completions",
                [
                    "model": "gpt-4o-mini", "stream": true, "stream_options": ["include_usage": true],
                    "messages": [["role": "user", "content": "a b"]],
                ]
            )
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(!text.contains("\nid:") && !text.hasPrefix("id:") && !text.contains("event:"))
            let events = Support.events(response)
            #expect(events.last?.data == "[DONE]")
            #expect(events.allSatisfy { !$0.data.isEmpty && $0.event == nil })
            let chunks = try Support.dataObjects(response)
            #expect(Set(chunks.compactMap { $0["id"] }).count == 1)
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
            let deltas = chunks.dropLast().compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }
            #expect(deltas == ["", "Echo:", " a", " b"])
            let finish = chunks[chunks.count - 2]
            #expect(finish["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
            #expect(finish["choices"]?.arrayValue?.first?["delta"] == [:])
            let usageChunk = try #require(chunks.last)
            #expect(usageChunk["choices"] == [])
            #expect(usageChunk["usage"]?["completion_tokens"] == 3)
            #expect(chunks.dropLast().allSatisfy { $0["usage"] == .null })
        }
    }

    @Test("without include_usage no chunk carries usage")
    func streamWithoutUsage() async throws {
        try await Support.makeApplication().test(.router) { client in
            let chunks = try Support.dataObjects(
                try await Support.post(
                    client, "/v1/chat/completions",
                    ["model": "gpt-4o-mini", "stream": true, "messages": [["role": "user", "content": "a"]]]
                )
            )
            #expect(chunks.allSatisfy { $0["usage"] == nil })
            #expect(chunks.allSatisfy { $0["choices"]?.arrayValue?.count == 1 })
        }
    }

    @Test("a required tool call validates against the tool's schema", arguments: ["required", "named"])
    func requiredToolCall(choice: String) async throws {
        let toolChoice: JSONValue = choice == "required" ? "required" : ["type": "function", "function": ["name": "get_weather"]]
        try await Support.makeApplication().test(.router) { client in
            let body = try Support.json(
                try await Support.post(
                    client, "/v1/chat/completions",
                    ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "hi"]], "tools": [Self.weatherTool], "tool_choice": toolChoice]
                )
            )
            let choice = try #require(body["choices"]?.arrayValue?.first)
            #expect(choice["finish_reason"] == "tool_calls")
            #expect(choice["message"]?["content"] == .null)
            let call = try #require(choice["message"]?["tool_calls"]?.arrayValue?.first)
            #expect(call["type"] == "function")
            #expect(call["function"]?["name"] == "get_weather")
            let arguments = try JSONValue(parsing: Data(try #require(call["function"]?["arguments"]?.stringValue).utf8))
            let schema = try #require(Self.weatherTool["function"]?["parameters"])
            #expect(JSONSchemaValidator.problems(arguments, against: schema) == [])
        }
    }

    @Test("auto calls a tool named in the user message, and answers text after the tool result")
    func autoToolChoice() async throws {
        try await Support.makeApplication().test(.router) { client in
            let mentioned = try Support.json(
                try await Support.post(
                    client, "/v1/chat/completions",
                    ["model": "m", "messages": [["role": "user", "content": "please use Get_Weather"]], "tools": [Self.weatherTool]]
                )
            )
            #expect(mentioned["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls")
            let notMentioned = try Support.json(
                try await Support.post(
                    client, "/v1/chat/completions",
                    ["model": "m", "messages": [["role": "user", "content": "hello"]], "tools": [Self.weatherTool], "tool_choice": "auto"]
                )
            )
            #expect(notMentioned["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
            let afterTool = try Support.json(
                try await Support.post(
                    client, "/v1/chat/completions",
                    [
                        "model": "m", "tools": [Self.weatherTool],
                        "messages": [
                            ["role": "user", "content": "use get_weather"],
                            ["role": "assistant", "content": nil, "tool_calls": [["id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": "{}"]]]],
                            ["role": "tool", "tool_call_id": "call_1", "content": "18C"],
                        ],
                    ]
                )
            )
            #expect(afterTool["choices"]?.arrayValue?.first?["message"]?["content"] == "Tool result: 18C")
            let none = try Support.json(
                try await Support.post(
                    client, "/v1/chat/completions",
                    ["model": "m", "messages": [["role": "user", "content": "get_weather"]], "tools": [Self.weatherTool], "tool_choice": "none"]
                )
            )
            #expect(none["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
        }
    }

    @Test("a streamed tool call follows PROTOCOLS §1.4: opening delta, argument fragments, finish")
    func streamedToolCall() async throws {
        try await Support.makeApplication().test(.router) { client in
            let chunks = try Support.dataObjects(
                try await Support.post(
                    client, "/v1/chat/completions",
                    [
                        "model": "m", "stream": true, "tool_choice": "required", "tools": [Self.weatherTool],
                        "messages": [["role": "user", "content": "hi"]],
                    ]
                )
            )
            let deltas = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"] }
            let opening = try #require(deltas.first?["tool_calls"]?.arrayValue?.first)
            #expect(Support.keys(opening) == ["index", "id", "type", "function"])
            #expect(opening["function"] == ["name": "get_weather", "arguments": ""])
            let fragments = deltas.dropFirst().compactMap { $0["tool_calls"]?.arrayValue?.first }
            #expect(fragments.count > 1)
            #expect(fragments.allSatisfy { Support.keys($0) == ["index", "function"] && $0["index"] == 0 })
            let arguments = fragments.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
            let schema = try #require(Self.weatherTool["function"]?["parameters"])
            #expect(JSONSchemaValidator.problems(try JSONValue(parsing: Data(arguments.utf8)), against: schema) == [])
            #expect(chunks.last?["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls")
        }
    }
}
