import Foundation
package import NIOCore
package import WireFormats

/// One deterministic `generateContent` answer, rendered as one response, as `alt=sse` events, or
/// as the streamed JSON array.
package struct GeminiReply: Sendable {
    package enum Content: Sendable {
        case text(deltas: [String], finishReason: String)
        /// One `functionCall` part per call (parallel calls in `tools` order); `thoughtSignature`
        /// rides on the first call's part when thinking is on, as the real API signs parallel calls.
        case functionCalls([(name: String, args: JSONValue)], thoughtSignature: String?)
    }

    package let responseID: String
    package let model: String
    /// Thought summary words, when `includeThoughts` asked for them.
    package let thoughtDeltas: [String]
    package let thoughtTokens: Int
    package let content: Content
    package let promptTokens: Int
    package let candidateTokens: Int

    /// Usage as the real API reports it on every chunk: the prompt, and the candidate tokens
    /// produced so far (`candidates`, absent before the first).
    private func usage(candidates: Int) -> JSONValue {
        var usage: [String: JSONValue] = [
            "promptTokenCount": .int(self.promptTokens),
            "promptTokensDetails": [["modality": "TEXT", "tokenCount": .int(self.promptTokens)]],
        ]
        var total = self.promptTokens + self.thoughtTokens
        if self.thoughtTokens > 0 { usage["thoughtsTokenCount"] = .int(self.thoughtTokens) }
        if candidates > 0 {
            usage["candidatesTokenCount"] = .int(candidates)
            usage["candidatesTokensDetails"] = [["modality": "TEXT", "tokenCount": .int(candidates)]]
            total += candidates
        }
        usage["totalTokenCount"] = .int(total)
        return .object(usage)
    }

    private func response(parts: [JSONValue], finishReason: String?, candidates: Int) -> JSONValue {
        var candidate: [String: JSONValue] = ["content": ["parts": .array(parts), "role": "model"], "index": 0]
        if let finishReason { candidate["finishReason"] = .string(finishReason) }
        return [
            "candidates": [.object(candidate)], "usageMetadata": self.usage(candidates: candidates),
            "modelVersion": .string(self.model), "responseId": .string(self.responseID),
        ]
    }

    private var thoughtPart: JSONValue? {
        self.thoughtDeltas.isEmpty ? nil : ["text": .string(self.thoughtDeltas.joined()), "thought": true]
    }

    private var functionCallParts: [JSONValue] {
        guard case .functionCalls(let calls, let signature) = self.content else { return [] }
        return calls.enumerated().map { index, call in
            var part: [String: JSONValue] = ["functionCall": ["name": .string(call.name), "args": call.args]]
            if index == 0, let signature { part["thoughtSignature"] = .string(signature) }
            return .object(part)
        }
    }

    private var finishReason: String {
        if case .text(_, let reason) = self.content { return reason }
        return "STOP"
    }

    /// The non-streaming response.
    package var responseObject: JSONValue {
        var parts: [JSONValue] = self.thoughtPart.map { [$0] } ?? []
        switch self.content {
        case .text(let deltas, _): parts.append(["text": .string(deltas.joined())])
        case .functionCalls: parts += self.functionCallParts
        }
        return self.response(parts: parts, finishReason: self.finishReason, candidates: self.candidateTokens)
    }

    /// The streamed responses: the thought summary, then a chunk per word (or the function calls,
    /// each whole, all in one chunk as the real API sends them), `finishReason` and the full usage
    /// on the last.
    package var chunks: [JSONValue] {
        var chunks: [JSONValue] = []
        if let thoughtPart { chunks.append(self.response(parts: [thoughtPart], finishReason: nil, candidates: 0)) }
        switch self.content {
        case .text(let deltas, let reason):
            let words = deltas.isEmpty ? [""] : deltas
            for (index, word) in words.enumerated() {
                let isLast = index == words.count - 1
                let produced = isLast ? self.candidateTokens : index + 1
                chunks.append(self.response(parts: [["text": .string(word)]], finishReason: isLast ? reason : nil, candidates: produced))
            }
        case .functionCalls:
            chunks.append(self.response(parts: self.functionCallParts, finishReason: "STOP", candidates: self.candidateTokens))
        }
        return chunks
    }

    /// `alt=sse`: exactly `data: <json>` and CRLF line ends, as the real API writes.
    package var sseFrames: [ByteBuffer] {
        self.chunks.map { ByteBuffer(string: "data: " + $0.encodedString() + "\r\n\r\n") }
    }

    /// Without `alt=sse`: one JSON array, written element by element (`[{…}\n,\r\n{…}\n]`).
    package var jsonArrayFrames: [ByteBuffer] {
        let chunks = self.chunks
        return chunks.enumerated().map { index, chunk in
            let opening = index == 0 ? "[" : ",\r\n"
            let closing = index == chunks.count - 1 ? "\n]" : "\n"
            return ByteBuffer(string: opening + chunk.encodedString() + closing)
        }
    }
}
