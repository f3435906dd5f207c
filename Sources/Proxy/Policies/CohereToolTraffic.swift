import NIOCore
import WireFormats

/// Cohere v2 chat: `tool` messages answer the `tool_calls` of an earlier assistant message by
/// id; the answer's calls are `message.tool_calls` (arguments as JSON text), with a
/// `tool_plan`. Streamed, `tool-call-start`/`-delta`/`-end` events by index, then `message-end`.
struct CohereToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"tool_call_id\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        var names: [String: String] = [:]
        body.updateArray("messages") { messages in
            for index in messages.indices {
                for call in messages[index]["tool_calls"]?.arrayValue ?? [] {
                    if let id = call["id"]?.stringValue, let name = call["function"]?["name"]?.stringValue { names[id] = name }
                }
                guard messages[index]["role"] == "tool", let id = messages[index]["tool_call_id"]?.stringValue else { continue }
                let content = messages[index]["content"]
                var output = JSONValue.flattenedText(content)
                if let parts = content?.arrayValue, parts.count == 1, let data = parts[0]["document"]?["data"] { output = data }
                if let replacement = visit(ObservedToolResult(toolName: names[id] ?? "", output: output)) {
                    messages[index].setField("content", .string(replacement))
                }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        (body["message"]?["tool_calls"]?.arrayValue ?? []).compactMap(OpenAIChatToolTraffic.call(_:))
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        var body = body
        body.updateObject("message") { message in
            message.setField("tool_calls", nil)
            message.setField("tool_plan", nil)
            var content = message["content"]?.arrayValue ?? []
            content.append(["type": "text", "text": .string(refusal.content)])
            message.setField("content", .array(content))
        }
        body.setField("finish_reason", "COMPLETE")
        return body
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        var pending: [(index: Int, name: String, arguments: String)] = []
        /// Content blocks relayed so far: the refusal's index.
        var contentBlocks = 0

        var calls: [ObservedToolCall] { self.pending.map { ObservedToolCall(name: $0.name, argumentsText: $0.arguments) } }

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            let (event, json) = JSONValue.sseData(message)
            if event.data == "[DONE]" { return .ending }
            guard let json, let type = json["type"]?.stringValue else { return .content }
            let index = json["index"]?.intValue ?? -1
            switch type {
            case "tool-call-start":
                self.pending.append((index, json["delta"]?["message"]?["tool_calls"]?["function"]?["name"]?.stringValue ?? "", ""))
                return .toolCall
            case "tool-call-delta", "tool-call-end", "tool-plan-delta":
                if let at = self.pending.firstIndex(where: { $0.index == index }) {
                    self.pending[at].arguments += json["delta"]?["message"]?["tool_calls"]?["function"]?["arguments"]?.stringValue ?? ""
                }
                return type == "tool-plan-delta" && self.pending.isEmpty ? .content : .toolCall
            case "content-start":
                self.contentBlocks = max(self.contentBlocks, index + 1)
                return .content
            case "message-end":
                return .ending
            default:
                return .content
            }
        }

        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            var refused = false
            for (message, kind) in held where kind != .toolCall {
                let (event, json) = JSONValue.sseData(message)
                if !refused, kind == .ending {
                    out.append(contentsOf: self.refusalBlock(refusal))
                    refused = true
                }
                if var json, json["type"] == "message-end" {
                    json.updateObject("delta") { $0.setField("finish_reason", "COMPLETE") }
                    out.append(json.sseMessage(event: event.event ?? "message-end"))
                } else {
                    out.append(message)
                }
            }
            if !refused { out.append(contentsOf: self.refusalBlock(refusal)) }
            return out
        }

        func refusalBlock(_ refusal: ToolRefusal) -> [ByteBuffer] {
            let index = JSONValue.int(self.contentBlocks)
            let start: JSONValue = ["type": "content-start", "index": index, "delta": ["message": ["content": ["type": "text", "text": ""]]]]
            let delta: JSONValue = ["type": "content-delta", "index": index, "delta": ["message": ["content": ["text": .string(refusal.content)]]]]
            let end: JSONValue = ["type": "content-end", "index": index]
            return [start.sseMessage(event: "content-start"), delta.sseMessage(event: "content-delta"), end.sseMessage(event: "content-end")]
        }
    }
}
