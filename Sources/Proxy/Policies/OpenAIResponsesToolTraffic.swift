import NIOCore
import WireFormats

/// OpenAI Responses: `function_call_output` items answer `function_call` items by `call_id`;
/// the answer's calls are `function_call` items of `output` (arguments as JSON text). A refused
/// answer gets a message item with a `refusal` part (tagged text) and an `output_text` part.
/// Its stream is not inspected (docs/guardrails.md): a streamed Responses request whose calls
/// could be blocked is refused before it goes upstream.
struct OpenAIResponsesToolTraffic: ToolTrafficFormat {
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
            items.append([
                "type": "message", "id": .string(id), "status": "completed", "role": "assistant",
                "content": [
                    ["type": "refusal", "refusal": .string(refusal.tagged)],
                    ["type": "output_text", "text": .string(refusal.content), "annotations": []],
                ],
            ])
        }
        return body
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { nil }
}
