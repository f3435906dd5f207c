package import WireFormats

/// One planned Responses API answer and its wire forms: the `response` object and the stream's
/// typed events.
package struct OpenAIResponse: Sendable {
    package enum Output: Sendable {
        case message(deltas: [String], text: String, truncated: Bool)
        /// One `function_call` output item per call (parallel calls in `tools` order), each with
        /// the stable id its `fc_…` item id and `call_…` call id derive from.
        case functionCalls([(call: OpenAIPlannedToolCall, stableID: String)])
    }

    package static let createdAt = 1_700_000_000

    package let id: String
    package let stableID: String
    package let model: String
    package let output: Output
    package let inputTokens: Int
    /// Request fields the real API echoes in the response object.
    package let echoed: [String: JSONValue]

    var messageID: String { "msg_\(self.stableID)" }

    var outputTokens: Int {
        switch self.output {
        case .message(let deltas, _, _): return deltas.count
        case .functionCalls(let calls): return calls.reduce(0) { $0 + $1.call.argumentFragments.count }
        }
    }

    var isIncomplete: Bool {
        if case .message(_, _, true) = self.output { return true }
        return false
    }

    package var usage: JSONValue {
        [
            "input_tokens": .int(self.inputTokens), "input_tokens_details": ["cached_tokens": 0],
            "output_tokens": .int(self.outputTokens), "output_tokens_details": ["reasoning_tokens": 0],
            "total_tokens": .int(self.inputTokens + self.outputTokens),
        ]
    }

    /// The output items (one message, or one `function_call` per call), finished (`completed`, or
    /// `incomplete` when cut by `max_output_tokens`) or as first announced in a stream.
    func items(finished: Bool) -> [JSONValue] {
        switch self.output {
        case .message(_, let text, let truncated):
            let status = finished ? (truncated ? "incomplete" : "completed") : "in_progress"
            let content: JSONValue = finished ? [["type": "output_text", "text": .string(text), "annotations": [], "logprobs": []]] : []
            return [["id": .string(self.messageID), "type": "message", "status": .string(status), "role": "assistant", "content": content]]
        case .functionCalls(let calls):
            return calls.map { call, stableID in
                [
                    "id": .string("fc_\(stableID)"), "type": "function_call", "status": finished ? "completed" : "in_progress",
                    "call_id": .string("call_\(stableID)"), "name": .string(call.name), "arguments": finished ? .string(call.arguments) : "",
                ]
            }
        }
    }

    /// The `response` object at a stage of its life: `in_progress` (no output, no usage) or final.
    package func responseObject(finished: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(self.id), "object": "response", "created_at": .int(Self.createdAt), "model": .string(self.model),
            "status": finished ? (self.isIncomplete ? "incomplete" : "completed") : "in_progress",
            "error": nil, "incomplete_details": finished && self.isIncomplete ? ["reason": "max_output_tokens"] : nil,
            "output": finished ? .array(self.items(finished: true)) : [], "usage": finished ? self.usage : nil,
            "parallel_tool_calls": true, "previous_response_id": nil, "reasoning": ["effort": nil, "summary": nil],
            "store": true, "temperature": 1.0, "top_p": 1.0, "text": ["format": ["type": "text"]], "truncation": "disabled",
            "tool_choice": "auto", "tools": [], "instructions": nil, "max_output_tokens": nil, "metadata": [:], "user": nil,
        ]
        object.merge(self.echoed, uniquingKeysWith: { _, echoed in echoed })
        return .object(object)
    }

    /// The stream's events as (type, data) in order, `sequence_number` counted from 0, ending in
    /// `response.completed` (or `response.incomplete`).
    package var events: [(type: String, data: JSONValue)] {
        var events: [(String, [String: JSONValue])] = [
            ("response.created", ["response": self.responseObject(finished: false)]),
            ("response.in_progress", ["response": self.responseObject(finished: false)]),
        ]
        let announced = self.items(finished: false)
        let finished = self.items(finished: true)
        for (outputIndex, item) in announced.enumerated() {
            let itemID = item["id"] ?? ""
            events.append(("response.output_item.added", ["output_index": .int(outputIndex), "item": item]))
            switch self.output {
            case .message(let deltas, let text, _):
                let position: [String: JSONValue] = ["item_id": itemID, "output_index": .int(outputIndex), "content_index": 0]
                let emptyPart: JSONValue = ["type": "output_text", "text": "", "annotations": [], "logprobs": []]
                let fullPart: JSONValue = ["type": "output_text", "text": .string(text), "annotations": [], "logprobs": []]
                events.append(("response.content_part.added", position.merging(["part": emptyPart]) { $1 }))
                for delta in deltas {
                    events.append(("response.output_text.delta", position.merging(["delta": .string(delta), "logprobs": []]) { $1 }))
                }
                events.append(("response.output_text.done", position.merging(["text": .string(text), "logprobs": []]) { $1 }))
                events.append(("response.content_part.done", position.merging(["part": fullPart]) { $1 }))
            case .functionCalls(let calls):
                let call = calls[outputIndex].call
                let position: [String: JSONValue] = ["item_id": itemID, "output_index": .int(outputIndex)]
                for fragment in call.argumentFragments {
                    events.append(("response.function_call_arguments.delta", position.merging(["delta": .string(fragment)]) { $1 }))
                }
                events.append(("response.function_call_arguments.done", position.merging(["arguments": .string(call.arguments)]) { $1 }))
            }
            events.append(("response.output_item.done", ["output_index": .int(outputIndex), "item": finished[outputIndex]]))
        }
        events.append((self.isIncomplete ? "response.incomplete" : "response.completed", ["response": self.responseObject(finished: true)]))
        return events.enumerated().map { sequence, event in
            var data = event.1
            data["type"] = .string(event.0)
            data["sequence_number"] = .int(sequence)
            return (event.0, .object(data))
        }
    }
}
