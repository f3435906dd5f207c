import NIOCore
import WireFormats

/// Anthropic Messages: `tool_result` blocks in user messages answer earlier `tool_use` blocks by
/// id; the answer's calls are `tool_use` content blocks, arguments as a JSON object (`input`).
/// Streamed, a call is a content block: `content_block_start` (name), `input_json_delta`s, `content_block_stop`.
struct AnthropicToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"tool_result\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        var names: [String: String] = [:]
        body.updateArray("messages") { messages in
            for index in messages.indices {
                messages[index].updateArray("content") { blocks in
                    for block in blocks.indices {
                        if blocks[block]["type"] == "tool_use", let id = blocks[block]["id"]?.stringValue, let name = blocks[block]["name"]?.stringValue {
                            names[id] = name
                        }
                        guard blocks[block]["type"] == "tool_result", let id = blocks[block]["tool_use_id"]?.stringValue else { continue }
                        let result = ObservedToolResult(toolName: names[id] ?? "", output: .flattenedText(blocks[block]["content"]))
                        if let replacement = visit(result) { blocks[block].setField("content", .string(replacement)) }
                    }
                }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        (body["content"]?.arrayValue ?? []).compactMap { block in
            guard block["type"] == "tool_use", let name = block["name"]?.stringValue else { return nil }
            return ObservedToolCall(name: name, arguments: block["input"] ?? [:])
        }
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        var body = body
        body.updateArray("content") { blocks in
            blocks.removeAll { $0["type"] == "tool_use" }
            blocks.append(["type": "text", "text": .string(refusal.content)])
        }
        body.setField("stop_reason", "end_turn")
        return body
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        var pending: [(index: Int, name: String, arguments: String)] = []

        var calls: [ObservedToolCall] {
            self.pending.map { ObservedToolCall(name: $0.name, argumentsText: $0.arguments.isEmpty ? "{}" : $0.arguments) }
        }

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            let (_, json) = JSONValue.sseData(message)
            guard let json, let type = json["type"]?.stringValue else { return .content }
            let index = json["index"]?.intValue ?? -1
            switch type {
            case "content_block_start" where json["content_block"]?["type"] == "tool_use":
                self.pending.append((index, json["content_block"]?["name"]?.stringValue ?? "", ""))
                return .toolCall
            case "content_block_delta", "content_block_stop":
                guard let at = self.pending.firstIndex(where: { $0.index == index }) else { return .content }
                self.pending[at].arguments += json["delta"]?["partial_json"]?.stringValue ?? ""
                return .toolCall
            case "message_delta", "message_stop":
                return .ending
            default:
                return .content
            }
        }

        /// Held content blocks are dropped (the tool calls, and any block after them); the
        /// refusal takes the first dropped block's index, so that indices stay contiguous for
        /// SDKs that accumulate blocks by position; `message_delta` says `end_turn`.
        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            var firstDropped: Int?
            var refused = false
            for (message, _) in held {
                let (_, parsed) = JSONValue.sseData(message)
                guard var json = parsed, let type = json["type"]?.stringValue else { continue }
                if type.hasPrefix("content_block_") {
                    if let index = json["index"]?.intValue { firstDropped = min(firstDropped ?? index, index) }
                    continue
                }
                if (type == "message_delta" || type == "message_stop"), !refused {
                    out.append(contentsOf: Self.refusalBlock(refusal, index: firstDropped ?? 0))
                    refused = true
                }
                if type == "message_delta" {
                    json.updateObject("delta") { $0.setField("stop_reason", "end_turn") }
                    out.append(json.sseMessage(event: type))
                } else {
                    out.append(message)
                }
            }
            if !refused { out.append(contentsOf: Self.refusalBlock(refusal, index: firstDropped ?? 0)) }
            return out
        }

        static func refusalBlock(_ refusal: ToolRefusal, index: Int) -> [ByteBuffer] {
            let start: JSONValue = ["type": "content_block_start", "index": .int(index), "content_block": ["type": "text", "text": ""]]
            let delta: JSONValue = ["type": "content_block_delta", "index": .int(index), "delta": ["type": "text_delta", "text": .string(refusal.content)]]
            let stop: JSONValue = ["type": "content_block_stop", "index": .int(index)]
            return [start.sseMessage(event: "content_block_start"), delta.sseMessage(event: "content_block_delta"), stop.sseMessage(event: "content_block_stop")]
        }
    }
}
