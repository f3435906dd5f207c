import NIOCore
import WireFormats

/// OpenAI Chat Completions (and every OpenAI-compatible provider): `tool` messages answer the
/// `tool_calls` of an earlier assistant message by id; the answer's calls are
/// `choices[].message.tool_calls`, arguments as JSON text.
struct OpenAIChatToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"tool_call_id\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        var names: [String: String] = [:]
        body.updateArray("messages") { messages in
            for index in messages.indices {
                for call in messages[index]["tool_calls"]?.arrayValue ?? [] {
                    if let id = call["id"]?.stringValue, let name = call["function"]?["name"]?.stringValue { names[id] = name }
                }
                guard messages[index]["role"] == "tool", let id = messages[index]["tool_call_id"]?.stringValue else { continue }
                let result = ObservedToolResult(toolName: names[id] ?? "", output: .flattenedText(messages[index]["content"]))
                if let replacement = visit(result) { messages[index].setField("content", .string(replacement)) }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        (body["choices"]?.arrayValue ?? []).flatMap { choice in
            (choice["message"]?["tool_calls"]?.arrayValue ?? []).compactMap(Self.call(_:))
        }
    }

    static func call(_ toolCall: JSONValue) -> ObservedToolCall? {
        guard let name = toolCall["function"]?["name"]?.stringValue else { return nil }
        return ObservedToolCall(name: name, argumentsText: toolCall["function"]?["arguments"]?.stringValue ?? "")
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        var body = body
        body.updateArray("choices") { choices in
            for index in choices.indices where choices[index]["message"]?["tool_calls"] != nil {
                choices[index].updateObject("message") { message in
                    message.setField("tool_calls", nil)
                    message.setField("content", .string(refusal.content))
                }
                choices[index].setField("finish_reason", "stop")
            }
        }
        return body
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        /// By the delta's `index`: name and the argument fragments so far.
        var pending: [(index: Int, name: String, arguments: String)] = []

        var calls: [ObservedToolCall] { self.pending.map { ObservedToolCall(name: $0.name, argumentsText: $0.arguments) } }

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            let (event, json) = JSONValue.sseData(message)
            if event.data == "[DONE]" { return .ending }
            guard let json, let choices = json["choices"]?.arrayValue else { return .content }
            if choices.isEmpty { return .ending }  // the include_usage chunk
            var kind = ToolStreamMessageKind.content
            for choice in choices {
                for delta in choice["delta"]?["tool_calls"]?.arrayValue ?? [] {
                    kind = .toolCall
                    let index = delta["index"]?.intValue ?? 0
                    let fragment = delta["function"]?["arguments"]?.stringValue ?? ""
                    if let at = self.pending.firstIndex(where: { $0.index == index }) {
                        self.pending[at].arguments += fragment
                    } else {
                        self.pending.append((index, delta["function"]?["name"]?.stringValue ?? "", fragment))
                    }
                }
                if let reason = choice["finish_reason"], !reason.isNull, kind != .toolCall { kind = .ending }
            }
            return kind
        }

        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            var refused = false
            for (message, kind) in held {
                let (event, json) = JSONValue.sseData(message)
                guard var json, event.data != "[DONE]" else {
                    if !refused, event.data == "[DONE]" { out.append(contentsOf: self.refusalChunks(refusal, template: nil)); refused = true }
                    out.append(message)
                    continue
                }
                let finishes = (json["choices"]?.arrayValue ?? []).contains { !($0["finish_reason"] ?? .null).isNull }
                if kind == .toolCall && !finishes { continue }
                if kind == .ending || finishes, !refused, !(json["choices"]?.arrayValue ?? []).isEmpty {
                    out.append(contentsOf: self.refusalChunks(refusal, template: json))
                    refused = true
                    continue
                }
                if kind == .ending, (json["choices"]?.arrayValue ?? []).isEmpty {
                    if !refused { out.append(contentsOf: self.refusalChunks(refusal, template: json)); refused = true }
                    out.append(message)
                    continue
                }
                json.updateArray("choices") { choices in
                    for index in choices.indices { choices[index].updateObject("delta") { $0.setField("tool_calls", nil) } }
                }
                out.append(json.sseMessage)
            }
            if !refused { out.append(contentsOf: self.refusalChunks(refusal, template: nil)) }
            return out
        }

        /// A content delta carrying the refusal and a finish chunk with `stop`, in the ids of
        /// `template` (a chunk of this stream) when there is one; the finish chunk keeps the
        /// template's usage, when it carried any.
        private func refusalChunks(_ refusal: ToolRefusal, template: JSONValue?) -> [ByteBuffer] {
            var base: JSONValue = ["object": "chat.completion.chunk"]
            for key in ["id", "object", "created", "model", "system_fingerprint"] {
                if let value = template?[key] { base.setField(key, value) }
            }
            var content = base
            content.setField("choices", [["index": 0, "delta": ["content": .string(refusal.content)], "finish_reason": .null]])
            var finish = base
            finish.setField("choices", [["index": 0, "delta": [:], "finish_reason": "stop"]])
            if let usage = template?["usage"], !usage.isNull, !(template?["choices"]?.arrayValue ?? []).isEmpty { finish.setField("usage", usage) }
            return [content.sseMessage, finish.sseMessage]
        }
    }
}
