package import WireFormats

/// One planned Chat Completions answer and its wire forms (the full object and the stream chunks).
package struct OpenAIChatCompletion: Sendable {
    package enum Answer: Sendable {
        case text(deltas: [String], text: String, finishReason: String)
        /// One or more calls (parallel calls in `tools` order), each with its id.
        case toolCalls([(call: OpenAIPlannedToolCall, id: String)])
    }

    /// `created` is fixed so identical requests give identical bodies.
    package static let created = 1_700_000_000

    package let id: String
    package let model: String
    package let answer: Answer
    package let choiceCount: Int
    package let promptTokens: Int

    /// Tokens of one choice: its words, or its argument fragments.
    package var tokensPerChoice: Int {
        switch self.answer {
        case .text(let deltas, _, _): return deltas.count
        case .toolCalls(let calls): return calls.reduce(0) { $0 + $1.call.argumentFragments.count }
        }
    }

    package var usage: JSONValue {
        let completion = self.tokensPerChoice * self.choiceCount
        return [
            "prompt_tokens": .int(self.promptTokens),
            "completion_tokens": .int(completion),
            "total_tokens": .int(self.promptTokens + completion),
            "prompt_tokens_details": ["cached_tokens": 0, "audio_tokens": 0],
            "completion_tokens_details": [
                "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0,
            ],
        ]
    }

    var finishReason: String {
        switch self.answer {
        case .text(_, _, let finishReason): return finishReason
        case .toolCalls: return "tool_calls"
        }
    }

    /// The non-stream `chat.completion` object.
    package var completionObject: JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "refusal": nil, "annotations": []]
        switch self.answer {
        case .text(_, let text, _):
            message["content"] = .string(text)
        case .toolCalls(let calls):
            message["content"] = .null
            message["tool_calls"] = .array(calls.map { call, id in
                ["id": .string(id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
            })
        }
        let choices = (0..<self.choiceCount).map { index -> JSONValue in
            ["index": .int(index), "message": .object(message), "logprobs": nil, "finish_reason": .string(self.finishReason)]
        }
        return [
            "id": .string(self.id), "object": "chat.completion", "created": .int(Self.created), "model": .string(self.model),
            "choices": .array(choices), "usage": self.usage, "service_tier": "default", "system_fingerprint": "fp_archestra_mock",
        ]
    }

    /// The stream's chunks in order, without the `[DONE]` terminator: per choice a role delta,
    /// content or tool-call deltas and a finish chunk, then (with `include_usage`) one chunk with
    /// `"choices": []` and the usage. Earlier chunks then carry `"usage": null`, as the real API's do.
    package func chunks(includeUsage: Bool) -> [JSONValue] {
        var chunks: [JSONValue] = []
        for index in 0..<self.choiceCount {
            switch self.answer {
            case .text(let deltas, _, _):
                chunks.append(self.chunk(index: index, delta: ["role": "assistant", "content": "", "refusal": nil], includeUsage: includeUsage))
                for delta in deltas {
                    chunks.append(self.chunk(index: index, delta: ["content": .string(delta)], includeUsage: includeUsage))
                }
            case .toolCalls(let calls):
                // Per call: an opening delta (`index`, `id`, `type`, name, empty arguments), then
                // its argument fragments under the same `index`; the role rides on the first.
                for (callIndex, (call, id)) in calls.enumerated() {
                    let opening: JSONValue = [
                        "index": .int(callIndex), "id": .string(id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": ""],
                    ]
                    let delta: JSONValue = callIndex == 0
                        ? ["role": "assistant", "content": nil, "tool_calls": [opening], "refusal": nil]
                        : ["tool_calls": [opening]]
                    chunks.append(self.chunk(index: index, delta: delta, includeUsage: includeUsage))
                    for fragment in call.argumentFragments {
                        let delta: JSONValue = ["tool_calls": [["index": .int(callIndex), "function": ["arguments": .string(fragment)]]]]
                        chunks.append(self.chunk(index: index, delta: delta, includeUsage: includeUsage))
                    }
                }
            }
            chunks.append(self.chunk(index: index, delta: [:], finishReason: self.finishReason, includeUsage: includeUsage))
        }
        if includeUsage {
            var usageChunk = self.chunkEnvelope(choices: [])
            usageChunk["usage"] = self.usage
            chunks.append(.object(usageChunk))
        }
        return chunks
    }

    func chunk(index: Int, delta: JSONValue, finishReason: String? = nil, includeUsage: Bool) -> JSONValue {
        let choice: JSONValue = [
            "index": .int(index), "delta": delta, "logprobs": nil, "finish_reason": finishReason.map(JSONValue.string) ?? .null,
        ]
        var chunk = self.chunkEnvelope(choices: [choice])
        if includeUsage { chunk["usage"] = .null }
        return .object(chunk)
    }

    func chunkEnvelope(choices: [JSONValue]) -> [String: JSONValue] {
        [
            "id": .string(self.id), "object": "chat.completion.chunk", "created": .int(Self.created), "model": .string(self.model),
            "service_tier": "default", "system_fingerprint": "fp_archestra_mock", "choices": .array(choices),
        ]
    }
}
