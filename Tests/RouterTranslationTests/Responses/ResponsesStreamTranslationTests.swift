import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("chat chunk stream → OpenAI Responses events")
struct ResponsesStreamTranslationTests {
    static let request: ResponsesRequest = {
        // Built by decoding so the test exercises the same path the proxy does.
        (try? JSONDecoder().decode(ResponsesRequest.self, from: Data(#"{"model":"cohere:command-a","input":"x","stream":true}"#.utf8)))
            ?? ResponsesRequest(model: "cohere:command-a", input: .text("x"))
    }()

    static func translator() -> ResponsesStreamTranslator {
        ResponsesOverChatTranslator(identities: .fixed(id: "chatcmpl-abc")).makeStreamTranslator(for: request)
    }

    static func chunk(content: String? = nil, reasoning: String? = nil, calls: [ToolCallDelta]? = nil, finish: FinishReason? = nil, role: String? = nil) -> ChatCompletionChunk {
        ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [.init(index: 0, delta: .init(role: role, content: content, reasoningContent: reasoning, toolCalls: calls), finishReason: finish)])
    }

    static func usageChunk() -> ChatCompletionChunk {
        ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [], usage: Usage(promptTokens: 3, completionTokens: 4))
    }

    static func run(_ chunks: [ChatCompletionChunk]) -> [ResponsesStreamEvent] {
        var stream = translator()
        var events = chunks.flatMap { stream.translate($0) }
        events += stream.finish()
        events += stream.finish()
        return events
    }

    /// The invariants every Responses stream must hold, whatever the chunk order.
    static func checkWellFormed(_ events: [ResponsesStreamEvent], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(events.map(\.sequenceNumber) == Array(0..<events.count), sourceLocation: sourceLocation)
        #expect(events.prefix(2).map(\.type) == ["response.created", "response.in_progress"], sourceLocation: sourceLocation)
        #expect(["response.completed", "response.incomplete"].contains(events.last?.type ?? ""), sourceLocation: sourceLocation)
        #expect(events.filter { $0.type.hasPrefix("response.completed") || $0.type == "response.incomplete" }.count == 1, sourceLocation: sourceLocation)
        // Problems are collected and expected once: thousands of runs call this.
        var open = Set<String>(), done = Set<String>(), problems: [String] = []
        for event in events {
            let itemID = event.fields["item"]?["id"]?.stringValue ?? event.fields["item_id"]?.stringValue ?? "?"
            switch event.type {
            case "response.output_item.added":
                if open.contains(itemID) || done.contains(itemID) { problems.append("\(itemID) added twice") }
                open.insert(itemID)
            case "response.output_item.done":
                if open.remove(itemID) == nil { problems.append("done for \(itemID), never added") }
                done.insert(itemID)
            case "response.created", "response.in_progress", "response.completed", "response.incomplete":
                break
            default:
                if !open.contains(itemID) { problems.append("\(event.type) for \(itemID), which is not open") }
            }
        }
        #expect(problems.isEmpty, sourceLocation: sourceLocation)
        #expect(open.isEmpty, "items left open", sourceLocation: sourceLocation)
        let final = events.last?.fields["response"]
        #expect(final?["object"] == "response", sourceLocation: sourceLocation)
        #expect(final?["output"]?.arrayValue?.compactMap { $0["id"]?.stringValue }.count == done.count, sourceLocation: sourceLocation)
    }

    @Test("text: the exact event sequence, deltas at once, final response with text and usage")
    func text() throws {
        var stream = Self.translator()
        let first = stream.translate(Self.chunk(content: "", role: "assistant"))
        #expect(first.map(\.type) == ["response.created", "response.in_progress"])
        let hel = stream.translate(Self.chunk(content: "Hel"))
        #expect(hel.map(\.type) == ["response.output_item.added", "response.content_part.added", "response.output_text.delta"])
        #expect(stream.translate(Self.chunk(content: "lo")).map(\.type) == ["response.output_text.delta"])
        #expect(stream.translate(Self.chunk(finish: .stop)).isEmpty)
        #expect(stream.translate(Self.usageChunk()).isEmpty)
        let closing = stream.finish()
        #expect(closing.map(\.type) == ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"])
        let events = first + hel + closing
        #expect(try StructuralJSON.encoded(hel[2]) == (try StructuralJSON.parse(#"""
            {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_abc_0","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}
            """#)))
        #expect(closing[0].fields["text"] == "Hello")
        let final = try #require(closing.last?.fields["response"])
        #expect(final["status"] == "completed" && final["id"] == "resp_abc")
        #expect(final["output"] == (try StructuralJSON.parse(#"""
            [{"id":"msg_abc_0","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[],"logprobs":[]}]}]
            """#)))
        #expect(final["usage"]?["total_tokens"] == 7)
        #expect(events.first?.fields["response"]?["status"] == "in_progress")
    }

    @Test("function calls: output_item.added with call_id and name, argument deltas, arguments.done, item done")
    func functionCalls() throws {
        let events = Self.run([
            Self.chunk(role: "assistant"),
            Self.chunk(calls: [ToolCallDelta(index: 0, id: "call_1", type: "function", function: .init(name: "get_weather", arguments: ""))]),
            Self.chunk(calls: [ToolCallDelta(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: #"{"city":"#))]),
            Self.chunk(calls: [ToolCallDelta(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: #""Paris"}"#))]),
            Self.chunk(finish: .toolCalls),
        ])
        Self.checkWellFormed(events)
        #expect(events.map(\.type) == [
            "response.created", "response.in_progress", "response.output_item.added",
            "response.function_call_arguments.delta", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done", "response.completed",
        ])
        #expect(events[2].fields["item"] == (try StructuralJSON.parse(#"{"id":"fc_abc_0","type":"function_call","status":"in_progress","call_id":"call_1","name":"get_weather","arguments":""}"#)))
        #expect(events[5].fields["arguments"] == #"{"city":"Paris"}"#)
        #expect(events.last?.fields["response"]?["output"]?.arrayValue?.first?["arguments"] == #"{"city":"Paris"}"#)
    }

    @Test("finish length → response.incomplete with max_output_tokens, items incomplete")
    func lengthIsIncomplete() {
        let events = Self.run([Self.chunk(content: "Trunc"), Self.chunk(finish: .length)])
        Self.checkWellFormed(events)
        #expect(events.last?.type == "response.incomplete")
        #expect(events.last?.fields["response"]?["incomplete_details"] == ["reason": "max_output_tokens"])
    }

    @Test("reasoning deltas become a reasoning item before the message")
    func reasoning() {
        let events = Self.run([Self.chunk(reasoning: "Think"), Self.chunk(reasoning: "ing"), Self.chunk(content: "Answer"), Self.chunk(finish: .stop)])
        Self.checkWellFormed(events)
        #expect(events.filter { $0.type == "response.reasoning_text.delta" }.count == 2)
        let output = events.last?.fields["response"]?["output"]?.arrayValue ?? []
        #expect(output.map { $0["type"]?.stringValue } == ["reasoning", "message"])
        #expect(output.first?["content"]?.arrayValue?.first?["text"] == "Thinking")
    }

    /// Chunk kinds the permutation test shuffles: every order of these must stay well-formed.
    static let chunkKinds: [ChatCompletionChunk] = [
        chunk(content: "Hello"),
        chunk(calls: [ToolCallDelta(index: 0, id: "call_1", type: "function", function: .init(name: "a", arguments: "{"))]),
        chunk(calls: [ToolCallDelta(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: "}"))]),
        chunk(calls: [ToolCallDelta(index: 1, id: nil, type: nil, function: .init(name: nil, arguments: "{}"))]),
        chunk(reasoning: "hmm"),
        chunk(finish: .toolCalls),
    ]

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[T]] in
            var rest = items
            let head = rest.remove(at: index)
            return permutations(rest).map { [head] + $0 }
        }
    }

    @Test("Bifrost #721: every order of text, tool-call start and argument, orphan argument, reasoning and finish chunks stays well-formed and ends completed")
    func anyChunkOrder() {
        let orders = Self.permutations(Array(Self.chunkKinds.indices))
        #expect(orders.count == 720)
        for order in orders {
            let events = Self.run(order.map { Self.chunkKinds[$0] } + [Self.usageChunk()])
            Self.checkWellFormed(events)
        }
    }

    @Test("edge streams: nothing at all, only usage, empty choices, chunks after the end, text after tool calls")
    func edgeStreams() {
        Self.checkWellFormed(Self.run([ChatCompletionChunk(id: "c", created: 1, model: "m", choices: []), Self.chunk(content: "x")]))
        let empty = Self.run([])
        Self.checkWellFormed(empty)
        #expect(empty.last?.fields["response"]?["output"]?.arrayValue?.first?["type"] == "message")
        Self.checkWellFormed(Self.run([Self.usageChunk()]))
        var stream = Self.translator()
        _ = stream.translate(Self.chunk(calls: [ToolCallDelta(index: 0, id: "c1", type: "function", function: .init(name: "f", arguments: "{}"))]))
        _ = stream.translate(Self.chunk(content: "After the call"))
        let closing = stream.finish()
        #expect(stream.translate(Self.chunk(content: "late")).isEmpty)
        #expect(closing.last?.fields["response"]?["output"]?.arrayValue?.map { $0["type"]?.stringValue } == ["function_call", "message"])
    }

    @Test("an upstream failure mid-stream: error event, then response.failed, then nothing")
    func failure() {
        var stream = Self.translator()
        _ = stream.translate(Self.chunk(content: "Par"))
        let events = stream.fail(OpenAIErrorBody(message: "Cohere failed", type: "server_error"))
        #expect(events.map(\.type) == ["error", "response.failed"])
        #expect(events.first?.fields["message"] == "Cohere failed")
        #expect(events.last?.fields["response"]?["status"] == "failed")
        #expect(events.last?.fields["response"]?["error"] == ["code": "server_error", "message": "Cohere failed"])
        #expect(stream.finish().isEmpty)
    }

    @Test("SSE frames: event: name equals type, data carries type and sequence_number")
    func serverSentEvents() throws {
        let events = Self.run([Self.chunk(content: "Hi")])
        for event in events {
            let frame = String(decoding: try event.serverSentEvent(), as: UTF8.self)
            #expect(frame.hasPrefix("event: \(event.type)\ndata: {"))
            #expect(frame.hasSuffix("}\n\n"))
            let data = try StructuralJSON.parse(String(frame.split(separator: "\n")[1].dropFirst(6)))
            #expect(data["type"]?.stringValue == event.type && data["sequence_number"]?.intValue == event.sequenceNumber)
        }
    }

    @Test("real Cohere tool-call capture through CohereStreamTranslator then Responses: reasoning item, function call, completed with usage")
    func realCohereThroughResponses() throws {
        let stream = try #require(try CassetteSSEReader.streams("cohere/v2-chat-stream-tools-multiturn.ruby-vcr.json").first)
        let (chat, _) = try ResponsesOverChatTranslator(identities: .fixed()).chatRequest(for: Self.request)
        var cohere = CohereChatTranslator(identities: .fixed()).makeStreamTranslator(for: chat)
        var responses = Self.translator()
        var events: [ResponsesStreamEvent] = []
        for message in CassetteSSEReader.messages(stream) {
            for chunk in try cohere.translate(message) { events += responses.translate(chunk) }
        }
        for chunk in try cohere.finish() { events += responses.translate(chunk) }
        events += responses.finish()
        Self.checkWellFormed(events)
        let final = try #require(events.last?.fields["response"])
        #expect(final["status"] == "completed")
        let output = final["output"]?.arrayValue ?? []
        #expect(output.map { $0["type"]?.stringValue } == ["reasoning", "function_call"])
        #expect(output.last?["call_id"] == "weather_vvavrb8p34fk")
        #expect(output.last?["arguments"] == #"{"latitude": "52.5200", "longitude": "13.4050"}"#)
        #expect(final["usage"]?["input_tokens"] == 98 && final["usage"]?["output_tokens"] == 35)
    }
}
