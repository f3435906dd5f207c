import Foundation
import NIOCore
import NIOFoundationCompat
import WireFormats

/// Bedrock Converse: `toolResult` blocks answer earlier `toolUse` blocks by `toolUseId`; the
/// answer's calls are `toolUse` blocks of `output.message.content` (arguments an object,
/// `input`). Streamed (AWS event stream), a call is a content block: `contentBlockStart` with
/// `start.toolUse`, `contentBlockDelta`s with `delta.toolUse.input` fragments, `contentBlockStop`.
struct BedrockToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"toolResult\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        var names: [String: String] = [:]
        body.updateArray("messages") { messages in
            for index in messages.indices {
                messages[index].updateArray("content") { blocks in
                    for block in blocks.indices {
                        if let use = blocks[block]["toolUse"], let id = use["toolUseId"]?.stringValue, let name = use["name"]?.stringValue { names[id] = name }
                        guard let result = blocks[block]["toolResult"], let id = result["toolUseId"]?.stringValue else { continue }
                        let parts = result["content"]?.arrayValue ?? []
                        let output: JSONValue =
                            parts.count == 1 && parts[0]["json"] != nil
                            ? parts[0]["json"]! : .string(parts.compactMap { $0["text"]?.stringValue ?? $0["json"]?.encodedString() }.joined())
                        if let replacement = visit(ObservedToolResult(toolName: names[id] ?? "", output: output)) {
                            blocks[block].updateObject("toolResult") { $0.setField("content", [["text": .string(replacement)]]) }
                        }
                    }
                }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        (body["output"]?["message"]?["content"]?.arrayValue ?? []).compactMap { block in
            guard let use = block["toolUse"], let name = use["name"]?.stringValue else { return nil }
            return ObservedToolCall(name: name, arguments: use["input"] ?? [:])
        }
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        var body = body
        body.updateObject("output") { output in
            output.updateObject("message") { message in
                message.updateArray("content") { blocks in
                    blocks.removeAll { $0["toolUse"] != nil }
                    blocks.append(["text": .string(refusal.content)])
                }
            }
        }
        body.setField("stopReason", "end_turn")
        return body
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        var pending: [(index: Int, name: String, arguments: String)] = []

        var calls: [ObservedToolCall] {
            self.pending.map { ObservedToolCall(name: $0.name, argumentsText: $0.arguments.isEmpty ? "{}" : $0.arguments) }
        }

        static func decode(_ message: ByteBuffer) -> (type: String, json: JSONValue)? {
            guard let decoded = try? AWSEventStreamMessage(decoding: message), decoded.messageType == "event", let type = decoded.eventType,
                let json = try? JSONValue(parsing: Data(buffer: decoded.payload))
            else { return nil }
            return (type, json)
        }

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            guard let (type, json) = Self.decode(message) else { return .content }
            let index = json["contentBlockIndex"]?.intValue ?? -1
            switch type {
            case "contentBlockStart" where json["start"]?["toolUse"] != nil:
                self.pending.append((index, json["start"]?["toolUse"]?["name"]?.stringValue ?? "", ""))
                return .toolCall
            case "contentBlockDelta", "contentBlockStop":
                guard let at = self.pending.firstIndex(where: { $0.index == index }) else { return .content }
                self.pending[at].arguments += json["delta"]?["toolUse"]?["input"]?.stringValue ?? ""
                return .toolCall
            case "messageStop", "metadata":
                return .ending
            default:
                return .content
            }
        }

        /// Held content blocks are dropped; the refusal is a text block at the first dropped
        /// index; `messageStop` says `end_turn`.
        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            var firstDropped: Int?
            var refused = false
            for (message, _) in held {
                guard let (type, json) = Self.decode(message) else { continue }
                if type.hasPrefix("contentBlock") {
                    if let index = json["contentBlockIndex"]?.intValue { firstDropped = min(firstDropped ?? index, index) }
                    continue
                }
                if !refused {
                    out.append(contentsOf: Self.refusalBlock(refusal, index: firstDropped ?? 0))
                    refused = true
                }
                if type == "messageStop" {
                    var stop = json
                    stop.setField("stopReason", "end_turn")
                    out.append(Self.event("messageStop", stop))
                } else {
                    out.append(message)
                }
            }
            if !refused { out.append(contentsOf: Self.refusalBlock(refusal, index: firstDropped ?? 0)) }
            return out
        }

        static func event(_ type: String, _ payload: JSONValue) -> ByteBuffer {
            // Encoding fails only past the format's size limits, far above a refusal.
            (try? AWSEventStreamMessage.event(type: type, payload: ByteBuffer(string: payload.encodedString())).encoded()) ?? ByteBuffer()
        }

        static func refusalBlock(_ refusal: ToolRefusal, index: Int) -> [ByteBuffer] {
            [
                Self.event("contentBlockDelta", ["contentBlockIndex": .int(index), "delta": ["text": .string(refusal.content)]]),
                Self.event("contentBlockStop", ["contentBlockIndex": .int(index)]),
            ]
        }
    }
}
