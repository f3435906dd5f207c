import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats
import Yams

/// The emulator's streams against real captures from `shared/real-traffic/openai/` (the shared
/// folder beside the repository, as in CI): same
/// event types in the same order, and every field the real API sent is present (the real API's
/// `obfuscation` padding excepted).
@Suite("OpenAI emulator output has the structure of real captures")
struct RealCaptureStructureTests {
    typealias Support = EmulatorTestSupport

    /// `<repo>/../shared/real-traffic/openai`, found from this file so any checkout location works.
    static let captures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/real-traffic/openai")
    /// Fields of the real API that carry no meaning for clients.
    static let ignoredFields: Set<String> = ["obfuscation"]

    /// Response bodies of a go-vcr (`response.body`) or vcrpy (`response.body.string`) cassette.
    static func responseBodies(_ file: String) throws -> [String] {
        let text = try String(contentsOf: Self.captures.appendingPathComponent(file), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let interactions = try #require(document["interactions"] as? [[String: Any]])
        return interactions.compactMap { interaction in
            let response = interaction["response"] as? [String: Any]
            if let body = response?["body"] as? String { return body }
            return (response?["body"] as? [String: Any])?["string"] as? String
        }
    }

    static func objects(_ events: [SSEEvent]) throws -> [JSONValue] {
        try events.filter { $0.data != "[DONE]" }.map { try JSONValue(parsing: Data($0.data.utf8)) }
    }

    static func missingFields(real: JSONValue?, emulated: JSONValue?) -> Set<String> {
        Support.keys(real).subtracting(Support.keys(emulated)).subtracting(Self.ignoredFields)
    }

    @Test("a text chat stream has the real chunk, choice and delta fields")
    func chatTextStream() async throws {
        let real = try Self.objects(Support.events(try #require(try Self.responseBodies("chat-stream-text.go-vcr.yaml").first)))
        try await Support.makeApplication().test(.router) { client in
            let emulated = try Support.dataObjects(
                try await Support.post(client, "/v1/chat/completions", ["model": "m", "stream": true, "messages": [["role": "user", "content": "Hello!"]]])
            )
            let realFirst = try #require(real.first), emulatedFirst = try #require(emulated.first)
            #expect(Self.missingFields(real: realFirst, emulated: emulatedFirst) == [])
            let realChoice = realFirst["choices"]?.arrayValue?.first, emulatedChoice = emulatedFirst["choices"]?.arrayValue?.first
            #expect(Self.missingFields(real: realChoice, emulated: emulatedChoice) == [])
            #expect(Self.missingFields(real: realChoice?["delta"], emulated: emulatedChoice?["delta"]) == [])
            // Same shape of the finish chunk: empty delta and a finish_reason.
            let realFinish = try #require(real.last?["choices"]?.arrayValue?.first)
            let emulatedFinish = try #require(emulated.last?["choices"]?.arrayValue?.first)
            #expect(realFinish["delta"] == [:] && emulatedFinish["delta"] == [:])
            #expect(realFinish["finish_reason"] == "stop" && emulatedFinish["finish_reason"] == "stop")
        }
        let realTerminator = try #require(try Self.responseBodies("chat-stream-text.go-vcr.yaml").first)
        #expect(realTerminator.hasSuffix("data: [DONE]\n\n"))
    }

    @Test("a tool-call chat stream matches the real opening delta, fragments, finish and usage chunk")
    func chatToolStream() async throws {
        let realBody = try #require(try Self.responseBodies("chat-stream-tools-2turn.vcrpy.yaml").first)
        let real = try Self.objects(Support.events(realBody))
        let tool: JSONValue = [
            "type": "function",
            "function": [
                "name": "get_capital", "description": "", "strict": true,
                "parameters": [
                    "type": "object", "properties": ["country": ["type": "string"]], "required": ["country"], "additionalProperties": false,
                ],
            ],
        ]
        try await Support.makeApplication().test(.router) { client in
            let emulated = try Support.dataObjects(
                try await Support.post(
                    client, "/v1/chat/completions",
                    [
                        "model": "gpt-4o-mini", "stream": true, "stream_options": ["include_usage": true], "tool_choice": "auto", "tools": [tool],
                        "messages": [["role": "user", "content": "What is the capital of the UK? Use the tool get_capital, then answer."]],
                    ]
                )
            )
            func delta(_ chunk: JSONValue?) -> JSONValue? { chunk?["choices"]?.arrayValue?.first?["delta"] }
            #expect(Support.keys(delta(real.first)) == Support.keys(delta(emulated.first)))
            let realOpening = delta(real.first)?["tool_calls"]?.arrayValue?.first
            let emulatedOpening = delta(emulated.first)?["tool_calls"]?.arrayValue?.first
            #expect(Support.keys(realOpening) == Support.keys(emulatedOpening))
            #expect(Support.keys(realOpening?["function"]) == Support.keys(emulatedOpening?["function"]))
            #expect(Support.keys(delta(real[1])?["tool_calls"]?.arrayValue?.first) == Support.keys(delta(emulated[1])?["tool_calls"]?.arrayValue?.first))
            // Last two chunks: the finish chunk, then the usage chunk with no choices.
            for (realChunk, emulatedChunk) in zip(real.suffix(2), emulated.suffix(2)) {
                #expect(Self.missingFields(real: realChunk, emulated: emulatedChunk) == [])
                #expect(realChunk["choices"]?.arrayValue?.count == emulatedChunk["choices"]?.arrayValue?.count)
            }
            #expect(emulated.suffix(2).first?["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls")
            #expect(Self.missingFields(real: real.last?["usage"], emulated: emulated.last?["usage"]) == [])
        }
    }

    @Test("a Responses stream has the real event order and fields, for function calls and for text", arguments: [0, 1])
    func responsesStream(interaction: Int) async throws {
        let realBody = try Self.responseBodies("responses-stream-tools.vcrpy.yaml")[interaction]
        let realEvents = Support.events(realBody)
        let capitalTool: JSONValue = [
            "type": "function", "name": "get_capital", "description": "", "strict": true,
            "parameters": ["type": "object", "properties": ["country": ["type": "string"]], "required": ["country"], "additionalProperties": false],
        ]
        // Interaction 0 asks and gets a function call; interaction 1 sends the output and gets text.
        let input: JSONValue =
            interaction == 0
            ? [["role": "user", "content": "What is the capital of France? Use get_capital."]]
            : [
                ["role": "user", "content": "What is the capital of France?"],
                ["type": "function_call", "call_id": "call_1", "name": "get_capital", "arguments": "{\"country\":\"France\"}"],
                ["type": "function_call_output", "call_id": "call_1", "output": "Paris"],
            ]
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(
                client, "/v1/responses",
                ["model": "gpt-4o", "instructions": "", "stream": true, "tool_choice": "auto", "tools": [capitalTool], "input": input]
            )
            let emulatedEvents = Support.events(response)
            func collapsed(_ events: [SSEEvent]) -> [String] {
                let types = events.compactMap(\.event)
                return types.enumerated().filter { $0.offset == 0 || types[$0.offset - 1] != $0.element }.map(\.element)
            }
            #expect(collapsed(realEvents) == collapsed(emulatedEvents))
            let realObjects = try Self.objects(realEvents)
            let emulatedObjects = try Self.objects(emulatedEvents)
            for event in emulatedEvents { #expect(try JSONValue(parsing: Data(event.data.utf8))["type"] == event.event.map(JSONValue.string)) }
            // Per event type, every real field is present, also inside items, parts and the response object.
            for real in realObjects {
                guard let emulated = emulatedObjects.first(where: { $0["type"] == real["type"] }) else {
                    Issue.record("no emulated \(real["type"]?.stringValue ?? "?") event")
                    continue
                }
                #expect(Self.missingFields(real: real, emulated: emulated) == [], "\(real["type"]?.stringValue ?? "")")
                for nested in ["item", "part", "response"] {
                    #expect(Self.missingFields(real: real[nested], emulated: emulated[nested]) == [], "\(real["type"]?.stringValue ?? "").\(nested)")
                }
            }
            #expect(emulatedObjects.compactMap { $0["sequence_number"]?.intValue } == Array(0..<emulatedObjects.count))
        }
    }

    @Test("an embeddings answer has the real fields")
    func embeddings() async throws {
        let realBody = try #require(try Self.responseBodies("embeddings-dimensions.go-vcr.yaml").first)
        let real = try JSONValue(parsing: Data(realBody.utf8))
        try await Support.makeApplication().test(.router) { client in
            let emulated = try Support.json(
                try await Support.post(
                    client, "/v1/embeddings",
                    ["model": "text-embedding-3-small", "input": "Generate embeddings with specific dimensions", "dimensions": 256, "encoding_format": "base64"]
                )
            )
            #expect(Self.missingFields(real: real, emulated: emulated) == [])
            #expect(Self.missingFields(real: real["data"]?.arrayValue?.first, emulated: emulated["data"]?.arrayValue?.first) == [])
            #expect(Self.missingFields(real: real["usage"], emulated: emulated["usage"]) == [])
            let realVector = try #require(real["data"]?.arrayValue?.first?["embedding"]?.stringValue)
            let emulatedVector = try #require(emulated["data"]?.arrayValue?.first?["embedding"]?.stringValue)
            #expect(Data(base64Encoded: realVector)?.count == Data(base64Encoded: emulatedVector)?.count)
        }
    }
}
