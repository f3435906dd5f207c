import NIOCore
import WireFormats

/// OpenAI Responses: `function_call_output` items answer `function_call` items by `call_id`;
/// the answer's calls are `function_call` items of `output` (arguments as JSON text). A refused
/// answer gets a message item with a `refusal` part (tagged text) and an `output_text` part.
/// Streamed, a call is an output item: `response.output_item.added` (name),
/// `response.function_call_arguments.delta`s, `…done`, `response.output_item.done`.
struct OpenAIResponsesToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"function_call_output\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        var names: [String: String] = [:]
        body.updateArray("input") { items in
            for index in items.indices {
                if items[index]["type"] == "function_call", let id = items[index]["call_id"]?.stringValue, let name = items[index]["name"]?.stringValue {
                    names[id] = name
                }
                guard items[index]["type"] == "function_call_output", let id = items[index]["call_id"]?.stringValue else { continue }
                let result = ObservedToolResult(toolName: names[id] ?? "", output: .flattenedText(items[index]["output"]))
                if let replacement = visit(result) { items[index].setField("output", .string(replacement)) }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        (body["output"]?.arrayValue ?? []).compactMap { item in
            guard item["type"] == "function_call", let name = item["name"]?.stringValue else { return nil }
            return ObservedToolCall(name: name, argumentsText: item["arguments"]?.stringValue ?? "")
        }
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        var body = body
        let id = "msg_" + String((body["id"]?.stringValue ?? "refusal").suffix(24))
        body.updateArray("output") { items in
            items.removeAll { $0["type"] == "function_call" }
            items.append(Self.refusalItem(id: id, refusal: refusal))
        }
        return body
    }

    static func refusalItem(id: String, refusal: ToolRefusal) -> JSONValue {
        [
            "type": "message", "id": .string(id), "status": "completed", "role": "assistant",
            "content": [Self.refusalPart(refusal), Self.textPart(refusal)],
        ]
    }

    static func refusalPart(_ refusal: ToolRefusal) -> JSONValue { ["type": "refusal", "refusal": .string(refusal.tagged)] }
    static func textPart(_ refusal: ToolRefusal) -> JSONValue { ["type": "output_text", "text": .string(refusal.content), "annotations": []] }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        var pending: [(index: Int, name: String, arguments: String)] = []
        /// The last `sequence_number` seen: the refusal's events continue from it.
        var sequence = 0

        var calls: [ObservedToolCall] { self.pending.map { ObservedToolCall(name: $0.name, argumentsText: $0.arguments) } }

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            guard let json = JSONValue.sseData(message).json, let type = json["type"]?.stringValue else { return .content }
            if let number = json["sequence_number"]?.intValue { self.sequence = max(self.sequence, number) }
            let index = json["output_index"]?.intValue ?? -1
            switch type {
            case "response.output_item.added" where json["item"]?["type"] == "function_call":
                self.pending.append((index, json["item"]?["name"]?.stringValue ?? "", ""))
                return .toolCall
            case "response.function_call_arguments.delta":
                if let at = self.pending.firstIndex(where: { $0.index == index }) { self.pending[at].arguments += json["delta"]?.stringValue ?? "" }
                return .toolCall
            case "response.function_call_arguments.done", "response.output_item.done":
                return self.pending.contains { $0.index == index } ? .toolCall : .content
            case "response.completed", "response.incomplete", "response.failed":
                return .ending
            default:
                return .content
            }
        }

        /// The function-call items are dropped; a message item carrying the refusal takes the
        /// first dropped item's output index, announced part by part as the SDKs accumulate it;
        /// `response.completed` carries the refused output.
        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            var sequence = self.sequence
            let outputIndex = JSONValue.int(self.pending.map(\.index).min() ?? 0)
            var refused = false
            func emit(_ type: String, _ fields: [String: JSONValue]) {
                sequence += 1
                var data = fields
                data["type"] = .string(type)
                data["sequence_number"] = .int(sequence)
                out.append(JSONValue.object(data).sseMessage(event: type))
            }
            func refusalEvents(responseID: String) {
                let id = JSONValue.string("msg_" + String(responseID.suffix(24)))
                var announced = OpenAIResponsesToolTraffic.refusalItem(id: id.stringValue ?? "", refusal: refusal)
                announced.setField("content", [])
                announced.setField("status", "in_progress")
                emit("response.output_item.added", ["output_index": outputIndex, "item": announced])
                for (contentIndex, part) in [OpenAIResponsesToolTraffic.refusalPart(refusal), OpenAIResponsesToolTraffic.textPart(refusal)].enumerated() {
                    let position: [String: JSONValue] = ["item_id": id, "output_index": outputIndex, "content_index": .int(contentIndex)]
                    let isRefusal = contentIndex == 0
                    var empty = part
                    empty.setField(isRefusal ? "refusal" : "text", "")
                    emit("response.content_part.added", position.merging(["part": empty]) { $1 })
                    let text = isRefusal ? refusal.tagged : refusal.content
                    emit(isRefusal ? "response.refusal.delta" : "response.output_text.delta", position.merging(["delta": .string(text)]) { $1 })
                    emit(isRefusal ? "response.refusal.done" : "response.output_text.done", position.merging([isRefusal ? "refusal" : "text": .string(text)]) { $1 })
                    emit("response.content_part.done", position.merging(["part": part]) { $1 })
                }
                emit("response.output_item.done", ["output_index": outputIndex, "item": OpenAIResponsesToolTraffic.refusalItem(id: id.stringValue ?? "", refusal: refusal)])
            }
            for (message, kind) in held where kind != .toolCall {
                let (event, parsed) = JSONValue.sseData(message)
                guard kind == .ending, var json = parsed else {
                    out.append(message)
                    continue
                }
                if !refused {
                    refusalEvents(responseID: json["response"]?["id"]?.stringValue ?? "refusal")
                    refused = true
                }
                json.updateObject("response") { $0 = OpenAIResponsesToolTraffic().refusing($0, with: refusal) }
                sequence += 1
                json.setField("sequence_number", .int(sequence))
                out.append(json.sseMessage(event: event.event ?? json["type"]?.stringValue ?? "response.completed"))
            }
            if !refused { refusalEvents(responseID: "refusal") }
            return out
        }
    }
}
