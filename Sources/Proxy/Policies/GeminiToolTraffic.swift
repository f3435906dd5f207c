import NIOCore
import WireFormats

/// Gemini `generateContent`: `functionResponse` parts carry the tool's name; the answer's calls
/// are `functionCall` parts (arguments an object, `args`). Streamed (`alt=sse`), a call arrives
/// whole in one chunk. Without `alt=sse` the stream is a JSON array, refused as a whole body.
struct GeminiToolTraffic: ToolTrafficFormat {
    var toolResultMarker: String { "\"functionResponse\"" }

    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?) {
        body.updateArray("contents") { contents in
            for index in contents.indices {
                contents[index].updateArray("parts") { parts in
                    for part in parts.indices {
                        guard let response = parts[part]["functionResponse"], let name = response["name"]?.stringValue else { continue }
                        let result = ObservedToolResult(toolName: name, output: response["response"] ?? .null)
                        if let replacement = visit(result) {
                            parts[part].updateObject("functionResponse") { $0.setField("response", ["result": .string(replacement)]) }
                        }
                    }
                }
            }
        }
    }

    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall] {
        let chunks = body.arrayValue ?? [body]
        return chunks.flatMap { Self.calls(inChunk: $0) }
    }

    static func calls(inChunk chunk: JSONValue) -> [ObservedToolCall] {
        (chunk["candidates"]?.arrayValue ?? []).flatMap { candidate in
            (candidate["content"]?["parts"]?.arrayValue ?? []).compactMap { part in
                guard let call = part["functionCall"], let name = call["name"]?.stringValue else { return nil }
                return ObservedToolCall(name: name, arguments: call["args"] ?? [:])
            }
        }
    }

    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue {
        guard var chunks = body.arrayValue else { return Self.refusing(chunk: body, refusal: refusal, last: true) }
        for index in chunks.indices { chunks[index] = Self.refusing(chunk: chunks[index], refusal: refusal, last: index == chunks.count - 1) }
        return .array(chunks)
    }

    /// Function calls removed; finish reasons `STOP`; on the last chunk the refusal appended as a
    /// text part of the first candidate.
    static func refusing(chunk: JSONValue, refusal: ToolRefusal?, last: Bool) -> JSONValue {
        var chunk = chunk
        chunk.updateArray("candidates") { candidates in
            for index in candidates.indices {
                candidates[index].updateObject("content") { content in
                    content.updateArray("parts") { parts in
                        parts.removeAll { $0["functionCall"] != nil }
                        if last, index == 0, let refusal { parts.append(["text": .string(refusal.content)]) }
                    }
                }
                if candidates[index]["finishReason"] != nil || last { candidates[index].setField("finishReason", "STOP") }
            }
        }
        return chunk
    }

    func makeStreamInspector() -> (any ToolStreamInspector)? { Inspector() }

    struct Inspector: ToolStreamInspector {
        var calls: [ObservedToolCall] = []

        mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind {
            guard let json = JSONValue.sseData(message).json else { return .content }
            let found = GeminiToolTraffic.calls(inChunk: json)
            if !found.isEmpty {
                self.calls += found
                return .toolCall
            }
            let finishes = (json["candidates"]?.arrayValue ?? []).contains { $0["finishReason"] != nil }
            return finishes || json["usageMetadata"] != nil ? .ending : .content
        }

        func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer] {
            var out: [ByteBuffer] = []
            let chunks = held.compactMap { JSONValue.sseData($0.message).json }
            for (position, chunk) in chunks.enumerated() {
                let last = position == chunks.count - 1
                let rewritten = GeminiToolTraffic.refusing(chunk: chunk, refusal: refusal, last: last)
                let empty = (rewritten["candidates"]?.arrayValue ?? []).allSatisfy { ($0["content"]?["parts"]?.arrayValue ?? []).isEmpty && $0["finishReason"] == nil }
                if empty, !last, rewritten["usageMetadata"] == nil { continue }
                out.append(rewritten.sseMessage)
            }
            return out
        }
    }
}
