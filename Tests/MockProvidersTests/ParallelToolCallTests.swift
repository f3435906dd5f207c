import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// Parallel tool calls in every dialect: a last user message naming several offered tools gets
/// one call per tool, in `tools` order, whole and streamed, unless the dialect's switch turns
/// parallel calls off; one named tool and a forced tool stay one call; after the results of a
/// parallel round trip the answer carries all of them.
@Suite("Parallel tool calls")
struct ParallelToolCallTests {
    typealias Support = NativeEmulatorSupport

    static let weatherSchema: JSONValue = ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"], "additionalProperties": false]
    static let timeSchema: JSONValue = ["type": "object", "properties": ["zone": ["type": "string"], "hour24": ["type": "boolean"]], "required": ["zone", "hour24"]]
    static let unusedSchema: JSONValue = ["type": "object", "properties": [:]]
    /// Offered in this order; the prompt names get_time before get_weather, so the calls must
    /// follow `tools` order, not the prompt's.
    static let schemas: [(String, JSONValue)] = [("get_weather", weatherSchema), ("lookup_unused", unusedSchema), ("get_time", timeSchema)]
    static let bothPrompt = "Use get_time and get_weather for Paris"
    static let expectedNames = ["get_weather", "get_time"]

    static var openAITools: JSONValue {
        .array(Self.schemas.map { name, schema in ["type": "function", "function": ["name": .string(name), "parameters": schema]] })
    }

    /// Each argument string or object is schema-valid for its tool.
    static func expectValid(_ calls: [(name: String, arguments: JSONValue)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(calls.map(\.name) == Self.expectedNames, sourceLocation: sourceLocation)
        for (name, arguments) in calls {
            let parsed = try arguments.stringValue.map { try JSONValue(parsing: Data($0.utf8)) } ?? arguments
            let schema = try #require(Self.schemas.first { $0.0 == name }?.1)
            #expect(JSONSchemaValidator.problems(parsed, against: schema) == [], "\(name)", sourceLocation: sourceLocation)
        }
    }

    // MARK: OpenAI Chat Completions

    @Test("Chat: several named tools give several tool_calls in tools order with distinct ids; parallel_tool_calls false gives one")
    func chatWhole() async throws {
        try await EmulatorTestSupport.makeApplication().test(.router) { client in
            let request: JSONValue = ["model": "gpt-4o", "tools": Self.openAITools, "messages": [["role": "user", "content": .string(Self.bothPrompt)]]]
            let body = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", request))
            let choice = body["choices"]?.element(0)
            #expect(choice?["finish_reason"] == "tool_calls")
            let calls = try #require(choice?["message"]?["tool_calls"]?.arrayValue)
            try Self.expectValid(calls.map { ($0["function"]?["name"]?.stringValue ?? "", $0["function"]?["arguments"] ?? nil) })
            let ids = calls.compactMap { $0["id"]?.stringValue }
            #expect(ids.count == 2 && Set(ids).count == 2 && ids.allSatisfy { $0.hasPrefix("call_") })
            let again = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", request))
            #expect(again["choices"]?.element(0)?["message"]?["tool_calls"] == choice?["message"]?["tool_calls"])

            for variant: JSONValue in [
                ["parallel_tool_calls": false, "messages": [["role": "user", "content": .string(Self.bothPrompt)]]],
                ["messages": [["role": "user", "content": "Use get_time please"]]],
                ["tool_choice": ["type": "function", "function": ["name": "get_time"]], "messages": [["role": "user", "content": .string(Self.bothPrompt)]]],
            ] {
                var single = request.objectValue ?? [:]
                single.merge(variant.objectValue ?? [:]) { $1 }
                let body = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", .object(single)))
                let calls = body["choices"]?.element(0)?["message"]?["tool_calls"]?.arrayValue ?? []
                #expect(calls.count == 1, "\(variant)")
            }
            var off = request.objectValue ?? [:]
            off["parallel_tool_calls"] = false
            let first = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", .object(off)))
            #expect(first["choices"]?.element(0)?["message"]?["tool_calls"]?.element(0)?["function"]?["name"] == "get_weather")
        }
    }

    @Test("Chat stream: an opening delta per call with its index, then argument deltas under the same index")
    func chatStream() async throws {
        try await EmulatorTestSupport.makeApplication().test(.router) { client in
            let request: JSONValue = ["model": "gpt-4o", "stream": true, "tools": Self.openAITools, "messages": [["role": "user", "content": .string(Self.bothPrompt)]]]
            let chunks = try EmulatorTestSupport.dataObjects(try await EmulatorTestSupport.post(client, "/v1/chat/completions", request))
            let deltas = chunks.compactMap { $0["choices"]?.element(0)?["delta"]?["tool_calls"]?.element(0) }
            var names: [Int: String] = [:]
            var ids: [Int: String] = [:]
            var arguments: [Int: String] = [:]
            var order: [Int] = []
            for delta in deltas {
                let index = try #require(delta["index"]?.intValue)
                if let id = delta["id"]?.stringValue {
                    #expect(ids[index] == nil && delta["type"] == "function" && delta["function"]?["arguments"] == "")
                    ids[index] = id
                    names[index] = delta["function"]?["name"]?.stringValue
                    order.append(index)
                } else {
                    #expect(ids[index] != nil, "argument delta before its opening delta")
                    arguments[index, default: ""] += delta["function"]?["arguments"]?.stringValue ?? ""
                }
            }
            #expect(order == [0, 1])
            #expect(Set(ids.values).count == 2)
            try Self.expectValid([0, 1].map { (names[$0] ?? "", .string(arguments[$0] ?? "")) })
            #expect(chunks.first?["choices"]?.element(0)?["delta"]?["role"] == "assistant")
            #expect(chunks.last?["choices"]?.element(0)?["finish_reason"] == "tool_calls")
            let whole = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", ["model": "gpt-4o", "tools": Self.openAITools, "messages": [["role": "user", "content": .string(Self.bothPrompt)]]]))
            #expect(whole["usage"]?["completion_tokens"]?.intValue == deltas.count - 2)
        }
    }

    @Test("Chat: after a parallel round trip the answer carries every tool result of the turn")
    func chatRoundTrip() async throws {
        try await EmulatorTestSupport.makeApplication().test(.router) { client in
            let body = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/chat/completions", [
                "model": "gpt-4o", "tools": Self.openAITools,
                "messages": [
                    ["role": "user", "content": .string(Self.bothPrompt)],
                    ["role": "assistant", "content": nil, "tool_calls": [
                        ["id": "call_a", "type": "function", "function": ["name": "get_weather", "arguments": "{}"]],
                        ["id": "call_b", "type": "function", "function": ["name": "get_time", "arguments": "{}"]],
                    ]],
                    ["role": "tool", "tool_call_id": "call_a", "content": "18C"],
                    ["role": "tool", "tool_call_id": "call_b", "content": "14:00"],
                ],
            ]))
            #expect(body["choices"]?.element(0)?["message"]?["content"] == "Tool result: 18C 14:00")
        }
    }

    // MARK: OpenAI Responses

    @Test("Responses: one function_call item per call, whole and streamed per output_index; parallel_tool_calls false gives one")
    func responses() async throws {
        let tools = JSONValue.array(Self.schemas.map { name, schema in ["type": "function", "name": .string(name), "parameters": schema] })
        try await EmulatorTestSupport.makeApplication().test(.router) { client in
            let request: JSONValue = ["model": "gpt-4o", "tools": tools, "input": .string(Self.bothPrompt)]
            let body = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/responses", request))
            let items = try #require(body["output"]?.arrayValue)
            #expect(items.allSatisfy { $0["type"] == "function_call" && $0["status"] == "completed" })
            try Self.expectValid(items.map { ($0["name"]?.stringValue ?? "", $0["arguments"] ?? nil) })
            #expect(Set(items.compactMap { $0["call_id"]?.stringValue }).count == 2 && Set(items.compactMap { $0["id"]?.stringValue }).count == 2)

            var streamed = request.objectValue ?? [:]
            streamed["stream"] = true
            let events = try EmulatorTestSupport.dataObjects(try await EmulatorTestSupport.post(client, "/v1/responses", .object(streamed)))
            let types = events.compactMap { $0["type"]?.stringValue }.filter { !$0.contains("arguments.delta") }
            #expect(types == [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ])
            #expect(events.map { $0["sequence_number"]?.intValue } == events.indices.map { $0 })
            let streamedItems = events.last?["response"]?["output"]?.arrayValue ?? []
            #expect(streamedItems.map { $0["name"] } == items.map { $0["name"] } && streamedItems.map { $0["arguments"] } == items.map { $0["arguments"] })
            for (outputIndex, item) in streamedItems.enumerated() {
                let fragments = events.filter { $0["type"] == "response.function_call_arguments.delta" && $0["output_index"]?.intValue == outputIndex }
                #expect(fragments.allSatisfy { $0["item_id"] == item["id"] })
                #expect(fragments.compactMap { $0["delta"]?.stringValue }.joined() == item["arguments"]?.stringValue)
                let added = events.first { $0["type"] == "response.output_item.added" && $0["output_index"]?.intValue == outputIndex }
                #expect(added?["item"]?["call_id"] == item["call_id"] && added?["item"]?["arguments"] == "")
            }
            let done = events.filter { $0["type"] == "response.output_item.done" }.map { $0["item"] }
            #expect(done == streamedItems.map { $0 })

            var off = request.objectValue ?? [:]
            off["parallel_tool_calls"] = false
            let single = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/responses", .object(off)))
            #expect(single["output"]?.arrayValue?.count == 1 && single["parallel_tool_calls"] == false)

            let roundTrip = try EmulatorTestSupport.json(try await EmulatorTestSupport.post(client, "/v1/responses", [
                "model": "gpt-4o", "tools": tools,
                "input": [
                    ["role": "user", "content": .string(Self.bothPrompt)],
                    ["type": "function_call", "call_id": "call_a", "name": "get_weather", "arguments": "{}"],
                    ["type": "function_call", "call_id": "call_b", "name": "get_time", "arguments": "{}"],
                    ["type": "function_call_output", "call_id": "call_a", "output": "18C"],
                    ["type": "function_call_output", "call_id": "call_b", "output": "14:00"],
                ],
            ]))
            #expect(roundTrip["output"]?.element(0)?["content"]?.element(0)?["text"] == "Tool result: 18C 14:00")
        }
    }

    // MARK: Anthropic

    @Test("Anthropic: several tool_use blocks, whole and streamed per block index; disable_parallel_tool_use gives one")
    func anthropic() async throws {
        let tools = JSONValue.array(Self.schemas.map { name, schema in ["name": .string(name), "input_schema": schema] })
        let key = [("x-api-key", AnthropicEmulator.apiKey)]
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let request: JSONValue = ["model": "claude-x", "max_tokens": 200, "tools": tools, "messages": [["role": "user", "content": .string(Self.bothPrompt)]]]
            let message = try Support.json(try await Support.post(client, "/v1/messages", request, headers: key))
            #expect(message["stop_reason"] == "tool_use")
            let blocks = try #require(message["content"]?.arrayValue)
            #expect(blocks.allSatisfy { $0["type"] == "tool_use" })
            try Self.expectValid(blocks.map { ($0["name"]?.stringValue ?? "", $0["input"] ?? nil) })
            let ids = blocks.compactMap { $0["id"]?.stringValue }
            #expect(Set(ids).count == 2 && ids.allSatisfy { $0.hasPrefix("toolu_01") && $0.count == 30 })

            var streamed = request.objectValue ?? [:]
            streamed["stream"] = true
            let events = try Support.namedEvents(try await Support.post(client, "/v1/messages", .object(streamed), headers: key)).map(\.data)
            for (index, block) in blocks.enumerated() {
                let mine = events.filter { $0["index"]?.intValue == index }
                #expect(mine.first?["type"] == "content_block_start" && mine.last?["type"] == "content_block_stop")
                #expect(mine.first?["content_block"]?["name"] == block["name"])
                #expect(mine.first?["content_block"]?["id"]?.stringValue?.hasPrefix("toolu_01") == true)
                let json = mine.compactMap { $0["delta"]?["partial_json"]?.stringValue }.joined()
                #expect(try JSONValue(parsing: Data(json.utf8)) == block["input"])
            }
            let starts = events.enumerated().filter { $0.element["type"] == "content_block_start" }.map(\.offset)
            let stops = events.enumerated().filter { $0.element["type"] == "content_block_stop" }.map(\.offset)
            #expect(starts.count == 2 && stops.count == 2 && stops[0] < starts[1])
            let streamedIDs = events.compactMap { $0["content_block"]?["id"]?.stringValue }
            #expect(Set(streamedIDs).count == 2)

            for choice: JSONValue in [["type": "auto", "disable_parallel_tool_use": true], ["type": "any", "disable_parallel_tool_use": true], ["type": "tool", "name": "get_time"]] {
                var single = request.objectValue ?? [:]
                single["tool_choice"] = choice
                let answer = try Support.json(try await Support.post(client, "/v1/messages", .object(single), headers: key))
                #expect(answer["content"]?.arrayValue?.count == 1, "\(choice)")
            }

            let roundTrip = try Support.json(try await Support.post(client, "/v1/messages", [
                "model": "claude-x", "max_tokens": 200, "tools": tools,
                "messages": [
                    ["role": "user", "content": .string(Self.bothPrompt)],
                    ["role": "assistant", "content": message["content"] ?? []],
                    ["role": "user", "content": [
                        ["type": "tool_result", "tool_use_id": .string(ids[0]), "content": "18C"],
                        ["type": "tool_result", "tool_use_id": .string(ids[1]), "content": "14:00"],
                    ]],
                ],
            ], headers: key))
            #expect(roundTrip["content"] == [["type": "text", "text": "Tool result: 18C 14:00"]])
        }
    }

    // MARK: Gemini

    @Test("Gemini: several functionCall parts in one candidate, streamed whole in one chunk; a thought signature on the first only")
    func gemini() async throws {
        let tools: JSONValue = [["functionDeclarations": .array(Self.schemas.map { name, schema in ["name": .string(name), "parameters": schema] })]]
        let key = [("x-goog-api-key", GeminiEmulator.apiKey)]
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let request: JSONValue = ["tools": tools, "contents": [["role": "user", "parts": [["text": .string(Self.bothPrompt)]]]]]
            let body = try Support.json(try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", request, headers: key))
            let parts = try #require(body["candidates"]?.element(0)?["content"]?["parts"]?.arrayValue)
            try Self.expectValid(parts.map { ($0["functionCall"]?["name"]?.stringValue ?? "", $0["functionCall"]?["args"] ?? nil) })
            #expect(body["candidates"]?.element(0)?["finishReason"] == "STOP")

            let sse = String(buffer: try await Support.post(client, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", request, headers: key).body)
            let chunks = try sse.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }.map { try JSONValue(parsing: Data($0.dropFirst("data: ".count).utf8)) }
            #expect(chunks.count == 1)
            #expect(chunks.first?["candidates"]?.element(0)?["content"]?["parts"] == .array(parts))

            var thinking = request.objectValue ?? [:]
            thinking["generationConfig"] = ["thinkingConfig": ["thinkingBudget": 512]]
            let signed = try Support.json(try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", .object(thinking), headers: key))
            let signedParts = signed["candidates"]?.element(0)?["content"]?["parts"]?.arrayValue ?? []
            #expect(signedParts.map { $0["thoughtSignature"] != nil } == [true, false])

            var forced = request.objectValue ?? [:]
            forced["toolConfig"] = ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_time"]]]
            let one = try Support.json(try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", .object(forced), headers: key))
            #expect(one["candidates"]?.element(0)?["content"]?["parts"]?.arrayValue?.count == 1)
        }
    }

    // MARK: Bedrock

    @Test("Bedrock: several toolUse blocks, and per contentBlockIndex start/delta/stop in ConverseStream; a forced tool stays one")
    func bedrock() async throws {
        let tools = JSONValue.array(Self.schemas.map { name, schema in ["toolSpec": ["name": .string(name), "inputSchema": ["json": schema]]] })
        let request: JSONValue = ["messages": [["role": "user", "content": [["text": .string(Self.bothPrompt)]]]], "toolConfig": ["tools": tools]]
        try await BedrockModelsAndEmbeddingsTests.withClient { client in
            let answer = try Support.json(try await BedrockModelsAndEmbeddingsTests.post(client, "/model/amazon.nova-pro-v1%3A0/converse", request))
            #expect(answer["stopReason"] == "tool_use")
            let blocks = try #require(answer["output"]?["message"]?["content"]?.arrayValue).compactMap { $0["toolUse"] }
            try Self.expectValid(blocks.map { ($0["name"]?.stringValue ?? "", $0["input"] ?? nil) })
            #expect(Set(blocks.compactMap { $0["toolUseId"]?.stringValue }).count == 2)

            let stream = try await BedrockModelsAndEmbeddingsTests.post(client, "/model/amazon.nova-pro-v1%3A0/converse-stream", request)
            var buffer = stream.body
            var framer = AWSEventStreamFramer()
            var events: [(type: String, payload: JSONValue)] = []
            while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) {
                let message = try AWSEventStreamMessage(decoding: frame)
                events.append((message.eventType ?? "", try JSONValue(parsing: Data(message.payload.readableBytesView))))
            }
            for (index, block) in blocks.enumerated() {
                let mine = events.filter { $0.payload["contentBlockIndex"]?.intValue == index }
                #expect(mine.first?.type == "contentBlockStart" && mine.last?.type == "contentBlockStop")
                #expect(mine.first?.payload["start"]?["toolUse"]?["toolUseId"] == block["toolUseId"])
                #expect(mine.first?.payload["start"]?["toolUse"]?["name"] == block["name"])
                let input = mine.compactMap { $0.payload["delta"]?["toolUse"]?["input"]?.stringValue }.joined()
                #expect(try JSONValue(parsing: Data(input.utf8)) == block["input"])
            }
            #expect(events.first { $0.type == "messageStop" }?.payload["stopReason"] == "tool_use")

            var forced = request.objectValue ?? [:]
            forced["toolConfig"] = ["tools": tools, "toolChoice": ["tool": ["name": "get_time"]]]
            let one = try Support.json(try await BedrockModelsAndEmbeddingsTests.post(client, "/model/amazon.nova-pro-v1%3A0/converse", .object(forced)))
            #expect(one["output"]?["message"]?["content"]?.arrayValue?.compactMap { $0["toolUse"]?["name"] } == ["get_time"])
        }
    }

    // MARK: Cohere

    @Test("Cohere v2: several tool_calls after one tool_plan, streamed as tool-call-start/delta/end per index")
    func cohere() async throws {
        let key = [("authorization", "Bearer \(CohereEmulator.apiKey)")]
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let request: JSONValue = ["model": "command-a", "stream": false, "tools": Self.openAITools, "messages": [["role": "user", "content": .string(Self.bothPrompt)]]]
            let body = try Support.json(try await Support.post(client, "/v2/chat", request, headers: key))
            #expect(body["finish_reason"] == "TOOL_CALL")
            #expect(body["message"]?["tool_plan"] == "I will use the get_weather and get_time tools.")
            let calls = try #require(body["message"]?["tool_calls"]?.arrayValue)
            try Self.expectValid(calls.map { ($0["function"]?["name"]?.stringValue ?? "", $0["function"]?["arguments"] ?? nil) })
            #expect(Set(calls.compactMap { $0["id"]?.stringValue }).count == 2)

            var streamed = request.objectValue ?? [:]
            streamed["stream"] = true
            let events = try EmulatorTestSupport.events(try await Support.post(client, "/v2/chat", .object(streamed), headers: key))
                .filter { $0.data != "[DONE]" }.map { try JSONValue(parsing: Data($0.data.utf8)) }
            let types = events.compactMap { $0["type"]?.stringValue }
            let lastPlan = try #require(types.lastIndex(of: "tool-plan-delta"))
            #expect(lastPlan < (types.firstIndex(of: "tool-call-start") ?? 0))
            for (index, call) in calls.enumerated() {
                let mine = events.filter { $0["index"]?.intValue == index && ($0["type"]?.stringValue?.hasPrefix("tool-call") ?? false) }
                #expect(mine.first?["type"] == "tool-call-start" && mine.last?["type"] == "tool-call-end")
                #expect(mine.first?["delta"]?["message"]?["tool_calls"]?["function"]?["name"] == call["function"]?["name"])
                let arguments = mine.compactMap { $0["delta"]?["message"]?["tool_calls"]?["function"]?["arguments"]?.stringValue }.joined()
                #expect(arguments == call["function"]?["arguments"]?.stringValue)
            }

            let roundTrip = try Support.json(try await Support.post(client, "/v2/chat", [
                "model": "command-a", "stream": false, "tools": Self.openAITools,
                "messages": [
                    ["role": "user", "content": .string(Self.bothPrompt)],
                    ["role": "assistant", "tool_plan": "p", "tool_calls": .array(calls)],
                    ["role": "tool", "tool_call_id": calls[0]["id"] ?? "", "content": "18C"],
                    ["role": "tool", "tool_call_id": calls[1]["id"] ?? "", "content": "14:00"],
                ],
            ], headers: key))
            #expect(roundTrip["message"]?["content"] == [["type": "text", "text": "Tool result: 18C 14:00"]])
        }
    }

    // MARK: Ollama native

    @Test("Ollama /api/chat: several tool_calls with object arguments")
    func ollama() async throws {
        try await Support.application(CompatibleEmulator.makeRouter(profile: OllamaEmulator.profile)).test(.router) { client in
            let body = try Support.json(try await Support.post(client, "/api/chat", [
                "model": "llama3.2", "stream": false, "tools": Self.openAITools, "messages": [["role": "user", "content": .string(Self.bothPrompt)]],
            ], headers: []))
            let calls = try #require(body["message"]?["tool_calls"]?.arrayValue)
            try Self.expectValid(calls.map { ($0["function"]?["name"]?.stringValue ?? "", $0["function"]?["arguments"] ?? nil) })
        }
    }
}

extension JSONValue {
    /// The `index`-th element of an array value, if there is one.
    fileprivate func element(_ index: Int) -> JSONValue? {
        guard let array = self.arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
