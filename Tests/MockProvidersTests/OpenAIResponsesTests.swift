import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("OpenAI emulator: Responses API")
struct OpenAIResponsesTests {
    typealias Support = EmulatorTestSupport

    @Test("a string input gets a completed response with output_text and usage")
    func nonStream() async throws {
        try await Support.makeApplication().test(.router) { client in
            let body = try Support.json(
                try await Support.post(client, "/v1/responses", ["model": "gpt-4o", "instructions": "be brief", "input": "hi there"])
            )
            #expect(body["object"] == "response")
            #expect(body["status"] == "completed")
            #expect(body["instructions"] == "be brief")
            let item = try #require(body["output"]?.arrayValue?.first)
            #expect(item["type"] == "message")
            #expect(item["content"]?.arrayValue?.first?["text"] == "Echo: hi there")
            #expect(body["usage"]?["input_tokens"] == 4)
            #expect(body["usage"]?["output_tokens"] == 3)
            #expect(body["usage"]?["total_tokens"] == 7)
        }
    }

    @Test("max_output_tokens makes an incomplete response")
    func incomplete() async throws {
        try await Support.makeApplication().test(.router) { client in
            let body = try Support.json(try await Support.post(client, "/v1/responses", ["model": "m", "input": "a b c", "max_output_tokens": 1]))
            #expect(body["status"] == "incomplete")
            #expect(body["incomplete_details"]?["reason"] == "max_output_tokens")
            #expect(body["output"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"] == "Echo:")
        }
    }

    @Test("a streamed text answer has typed events whose deltas add up to the text")
    func textStream() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(client, "/v1/responses", ["model": "m", "input": [["role": "user", "content": "x y"]], "stream": true])
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            let events = Support.events(response)
            #expect(events.first?.event == "response.created")
            #expect(events.last?.event == "response.completed")
            #expect(!String(buffer: response.body).contains("[DONE]"))
            let objects = try Support.dataObjects(response)
            let deltas = objects.filter { $0["type"] == "response.output_text.delta" }.compactMap { $0["delta"]?.stringValue }
            #expect(deltas == ["Echo:", " x", " y"])
            #expect(objects.last?["response"]?["usage"]?["output_tokens"] == 3)
            #expect(objects.first?["response"]?["status"] == "in_progress")
        }
    }

    @Test("a flat function tool with tool_choice required streams a function call that validates")
    func functionCallStream() async throws {
        let parameters: JSONValue = [
            "type": "object", "properties": ["country": ["type": "string"], "year": ["type": "integer", "minimum": 1900]],
            "required": ["country", "year"], "additionalProperties": false,
        ]
        try await Support.makeApplication().test(.router) { client in
            let objects = try Support.dataObjects(
                try await Support.post(
                    client, "/v1/responses",
                    [
                        "model": "m", "input": "capital?", "stream": true, "tool_choice": "required",
                        "tools": [["type": "function", "name": "get_capital", "parameters": parameters]],
                    ]
                )
            )
            let added = try #require(objects.first { $0["type"] == "response.output_item.added" })
            #expect(added["item"]?["type"] == "function_call")
            #expect(added["item"]?["arguments"] == "")
            var fragments: [String] = []
            for object in objects where object["type"]?.stringValue == "response.function_call_arguments.delta" {
                fragments.append(try #require(object["delta"]?.stringValue))
            }
            let done = try #require(objects.first { $0["type"] == "response.function_call_arguments.done" })
            #expect(done["arguments"]?.stringValue == fragments.joined())
            let arguments = try JSONValue(parsing: Data(fragments.joined().utf8))
            #expect(JSONSchemaValidator.problems(arguments, against: parameters) == [])
            #expect(objects.last?["response"]?["output"]?.arrayValue?.first?["status"] == "completed")
        }
    }

    @Test("a function_call_output as last input item gets a text answer using it")
    func afterFunctionOutput() async throws {
        try await Support.makeApplication().test(.router) { client in
            let body = try Support.json(
                try await Support.post(
                    client, "/v1/responses",
                    [
                        "model": "m", "tools": [["type": "function", "name": "get_capital", "parameters": ["type": "object"]]],
                        "input": [
                            ["role": "user", "content": "use get_capital"],
                            ["type": "function_call", "call_id": "c", "name": "get_capital", "arguments": "{}"],
                            ["type": "function_call_output", "call_id": "c", "output": "Paris"],
                        ],
                    ]
                )
            )
            #expect(body["output"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"] == "Tool result: Paris")
        }
    }
}
