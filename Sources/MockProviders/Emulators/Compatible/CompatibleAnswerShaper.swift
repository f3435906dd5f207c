import WireFormats
import HTTPTypes
import Hummingbird

/// Applies a provider's ``CompatibleQuirks`` to the OpenAI emulator's completion object and
/// stream chunks. Pure: same input, same bytes.
struct CompatibleAnswerShaper {
    let quirks: CompatibleQuirks
    let completion: OpenAIChatCompletion
    let requestID: String

    static let reasoningDeltas = ["Considering", " what", " was", " asked."]
    static let citationURLs: [JSONValue] = ["https://example.com/archestra-mock-source-1", "https://example.com/archestra-mock-source-2"]
    static let searchResults: JSONValue = [
        [
            "title": "Archestra mock source 1", "url": "https://example.com/archestra-mock-source-1", "date": "2025-01-01",
            "last_updated": "2025-01-02", "snippet": "A deterministic search result from the emulator.", "source": "web",
        ],
        [
            "title": "Archestra mock source 2", "url": "https://example.com/archestra-mock-source-2", "date": nil,
            "last_updated": "2025-01-02", "snippet": "A second deterministic search result.", "source": "web",
        ],
    ]

    var thinks: Bool {
        self.quirks.reasoningField != nil && CompatibleQuirks.isReasoningModel(self.completion.model)
    }

    var endsInError: Bool {
        guard let suffix = self.quirks.midStreamErrorModelSuffix else { return false }
        return self.completion.model.hasSuffix(suffix)
    }

    // MARK: Non-stream

    func completionObject() -> JSONValue {
        var object = self.completion.completionObject
        if let field = self.quirks.reasoningField, self.thinks {
            object = Self.mapChoices(object) { choice in
                Self.setting(field, to: .string(Self.reasoningDeltas.joined()), inObjectAt: "message", of: choice)
            }
        }
        if self.quirks.contentFilter {
            object = Self.mapChoices(object) { Self.setting("content_filter_results", to: Self.contentFilterResults, in: $0) }
            object = Self.setting("prompt_filter_results", to: Self.promptFilterResults, in: object)
        }
        if self.quirks.requestIDField {
            object = Self.setting("request_id", to: .string(self.requestID), in: object)
        }
        return self.decorateEnvelope(object, isFinal: true)
    }

    // MARK: Stream

    func chunks(includeUsage asked: Bool) -> [JSONValue] {
        // A provider that always reports usage on its finish chunk needs no usage-only chunk.
        let includeUsage = asked && !self.quirks.usageOnFinishChunkAlways
        var chunks = self.completion.chunks(includeUsage: includeUsage)
        if let field = self.quirks.reasoningField, self.thinks, !chunks.isEmpty {
            let reasoning = Self.reasoningDeltas.map { self.completion.chunk(index: 0, delta: [field: .string($0)], includeUsage: includeUsage) }
            chunks.insert(contentsOf: reasoning, at: 1)
        }
        if self.quirks.usageOnFinishChunk, includeUsage, let last = chunks.last, last["choices"]?.arrayValue?.isEmpty == true {
            chunks.removeLast()
            if let finish = chunks.indices.last { chunks[finish] = Self.setting("usage", to: self.completion.usage, in: chunks[finish]) }
        }
        if self.quirks.usageOnFinishChunkAlways, let finish = chunks.indices.last {
            chunks[finish] = Self.setting("usage", to: self.completion.usage, in: chunks[finish])
        }
        if self.quirks.contentFilter {
            chunks = chunks.map { chunk in
                Self.mapChoices(chunk) { Self.setting("content_filter_results", to: [:], in: $0) }
            }
            var first = self.completion.chunkEnvelope(choices: [])
            first["model"] = ""
            first["prompt_filter_results"] = Self.promptFilterResults
            chunks.insert(.object(first), at: 0)
        }
        if self.quirks.perplexityStream {
            chunks = self.perplexityChunks(chunks)
        }
        if self.endsInError {
            // OpenRouter reports an upstream failure after the status line as a chunk with `error`.
            let kept = Array(chunks.prefix(max(1, chunks.count / 2)))
            var failure = self.completion.chunkEnvelope(choices: [
                [
                    "index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": "error", "native_finish_reason": "error",
                    "logprobs": nil,
                ]
            ])
            failure["error"] = ["code": 502, "message": "Upstream provider returned an error"]
            if includeUsage { failure["usage"] = self.completion.usage }
            chunks = kept + [.object(failure)]
        }
        let lastIndex = chunks.count - 1
        return chunks.enumerated().map { index, chunk in
            var chunk = self.decorateEnvelope(chunk, isFinal: index == lastIndex)
            if self.quirks.groqMetadata {
                if index == 0 {
                    chunk = Self.setting("x_groq", to: ["id": .string(self.requestID), "seed": 0], in: chunk)
                } else if index == lastIndex {
                    chunk = Self.setting("x_groq", to: ["id": .string(self.requestID), "usage": self.groqUsage], in: chunk)
                }
            }
            if self.quirks.citations {
                chunk = Self.setting("usage", to: self.completion.usage, in: chunk)
            }
            return chunk
        }
    }

    /// Perplexity's stream: every choice carries the accumulated `message` and a `delta` with a
    /// role; the last chunk is `chat.completion.done`.
    func perplexityChunks(_ chunks: [JSONValue]) -> [JSONValue] {
        var soFar = ""
        var shaped = chunks.map { chunk -> JSONValue in
            Self.mapChoices(chunk) { choice in
                soFar += choice["delta"]?["content"]?.stringValue ?? ""
                var choice = Self.removing(["logprobs"], from: choice)
                if choice["finish_reason"] == .null { choice = Self.removing(["finish_reason"], from: choice) }
                let delta = Self.setting("role", to: "assistant", in: Self.removing(["refusal"], from: choice["delta"] ?? [:]))
                choice = Self.setting("delta", to: delta["content"] == nil ? Self.setting("content", to: "", in: delta) : delta, in: choice)
                return Self.setting("message", to: ["role": "assistant", "content": .string(soFar)], in: choice)
            }
        }
        if let last = shaped.indices.last { shaped[last] = Self.setting("object", to: "chat.completion.done", in: shaped[last]) }
        return shaped
    }

    // MARK: Envelope fields shared by objects and chunks

    func decorateEnvelope(_ value: JSONValue, isFinal: Bool) -> JSONValue {
        var value = value
        if self.quirks.omitOpenAIEnvelopeFields {
            value = Self.removing(["service_tier", "system_fingerprint"], from: value)
        }
        if let provider = self.quirks.upstreamProviderName {
            value = Self.setting("provider", to: .string(provider), in: value)
        }
        if self.quirks.citations {
            value = Self.setting("citations", to: .array(Self.citationURLs), in: value)
            value = Self.setting("search_results", to: Self.searchResults, in: value)
        }
        if self.quirks.baseResp, isFinal {
            value = Self.setting("base_resp", to: ["status_code": 0, "status_msg": ""], in: value)
        }
        if self.quirks.timeInfo, isFinal {
            value = Self.setting(
                "time_info",
                to: ["queue_time": 0.0001, "prompt_time": 0.0002, "completion_time": 0.003, "total_time": 0.004, "created": .int(OpenAIChatCompletion.created)],
                in: value
            )
        }
        return value
    }

    var groqUsage: JSONValue {
        let tokens = self.completion.tokensPerChoice * self.completion.choiceCount
        return [
            "queue_time": 0.0001, "prompt_tokens": .int(self.completion.promptTokens), "prompt_time": 0.0002,
            "completion_tokens": .int(tokens), "completion_time": 0.003, "total_tokens": .int(self.completion.promptTokens + tokens),
            "total_time": 0.0032,
        ]
    }

    static let promptFilterResults: JSONValue = [["prompt_index": 0, "content_filter_results": contentFilterResults]]
    static let contentFilterResults: JSONValue = [
        "hate": ["filtered": false, "severity": "safe"], "self_harm": ["filtered": false, "severity": "safe"],
        "sexual": ["filtered": false, "severity": "safe"], "violence": ["filtered": false, "severity": "safe"],
    ]

    // MARK: JSON editing

    static func setting(_ key: String, to newValue: JSONValue, in value: JSONValue) -> JSONValue {
        guard case .object(var object) = value else { return value }
        object[key] = newValue
        return .object(object)
    }

    static func setting(_ key: String, to newValue: JSONValue, inObjectAt parent: String, of value: JSONValue) -> JSONValue {
        guard let inner = value[parent] else { return value }
        return Self.setting(parent, to: Self.setting(key, to: newValue, in: inner), in: value)
    }

    static func removing(_ keys: [String], from value: JSONValue) -> JSONValue {
        guard case .object(var object) = value else { return value }
        for key in keys { object[key] = nil }
        return .object(object)
    }

    static func mapChoices(_ value: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard let choices = value["choices"]?.arrayValue else { return value }
        return Self.setting("choices", to: .array(choices.map(transform)), in: value)
    }
}
