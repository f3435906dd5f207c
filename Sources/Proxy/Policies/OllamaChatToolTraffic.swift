import Foundation
import NIOCore
import NIOFoundationCompat
import WireFormats

/// Ollama's native `/api/chat` (PROTOCOLS.md §7.1): `tool` messages name their tool with
/// `tool_name` (older clients leave it out: they answer the previous assistant message's
/// `tool_calls` in order); the answer's calls are `message.tool_calls`, arguments as a JSON
/// object, never fragmented. Streamed, JSON lines: a line carrying `message.tool_calls`, then the
/// `"done": true` line with `done_reason`.
struct OllamaChatToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"tool\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        body.updateArray("messages") { messages in
            // The calls of the last assistant message, answered in order by the tool messages after it.
            var calls: [String] = []
            var answered = 0
            for index in messages.indices {
                if messages[index]["role"] == "assistant" {
                    calls = (messages[index]["tool_calls"]?.arrayValue ?? []).map { $0["function"]?["name"]?.stringValue ?? "" }
                    answered = 0
                    continue
                }
                guard messages[index]["role"] == "tool" else { continue }
                let positional = answered < calls.count ? calls[answered] : ""
                answered += 1
                let name = messages[index]["tool_name"]?.stringValue ?? positional
                if let replacement = visit(ObservedToolResult(toolName: name, output: .flattenedText(messages[index]["content"]))) {
                    messages[index].setField("content", .string(replacement))
                }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        Self.calls(in: body)
    }

    /// The calls of one answer or stream line: `message.tool_calls[].function`.
    static func calls(in line: JSONValue) -> [ObservedToolCall] {
        (line["message"]?["tool_calls"]?.arrayValue ?? []).compactMap { call in
            guard let name = call["function"]?["name"]?.stringValue else { return nil }
            switch call["function"]?["arguments"] {
            case .string(let text)?: return ObservedToolCall(name: name, argumentsText: text)
            case let arguments?: return ObservedToolCall(name: name, arguments: arguments)
            case nil: return ObservedToolCall(name: name, arguments: [:])
            }
        }
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        var body = body
        body.updateObject("message") { message in
            message.setField("tool_calls", nil)
            let before = message["content"]?.stringValue ?? ""
            message.setField("content", .string(before.isEmpty ? refusal.content : before + "\n\n" + refusal.content))
        }
        body.setField("done_reason", "stop")
        return body
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        var calls: [ObservedToolCall] = []

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            guard let line = try? JSONValue(parsing: Data(buffer: message)) else { return .content }
            if line["done"]?.boolValue == true { return .ending }
            let found = OllamaChatToolTraffic.calls(in: line)
            guard !found.isEmpty else { return .content }
            self.calls += found
            return .toolCall
        }

        /// The refusal as a content line of the stream's own model, then the held endings with
        /// `done_reason` made `stop` (counts and durations kept).
        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            var refused = false
            for (message, kind) in held where kind != .toolCall {
                guard kind == .ending, var line = try? JSONValue(parsing: Data(buffer: message)) else {
                    out.append(message)
                    continue
                }
                if !refused {
                    out.append(Self.refusalLine(refusal, like: line))
                    refused = true
                }
                line.setField("done_reason", "stop")
                out.append(Self.jsonLine(line))
            }
            if !refused { out.append(Self.refusalLine(refusal, like: [:])) }
            return out
        }

        static func refusalLine(_ refusal: ToolRefusal, like ending: JSONValue) -> ByteBuffer {
            var line: JSONValue = ["message": ["role": "assistant", "content": .string(refusal.content)], "done": false]
            if let model = ending["model"] { line.setField("model", model) }
            if let created = ending["created_at"] { line.setField("created_at", created) }
            return Self.jsonLine(line)
        }

        static func jsonLine(_ line: JSONValue) -> ByteBuffer {
            var buffer = ByteBuffer(bytes: line.encodedData())
            buffer.writeString("\n")
            return buffer
        }
    }
}
