package import NIOCore
import NIOFoundationCompat
import WireFormats

/// Cohere's API: `{"message":...}` errors, v2 chat streams as SSE with typed events (usage in
/// `message-end`), v1 chat streams as JSON lines (usage in `stream-end`'s `meta`).
package struct CohereDialect: ProviderDialect {
    package init() {}

    package func errorBody(for error: ProxyError) -> ByteBuffer {
        ByteBuffer(data: CohereErrorBody(message: error.message).data)
    }

    /// v2 streams end with `message-end`, whose `delta.error` the SDK surfaces; v1 JSON-line
    /// streams end with a `stream-end` whose `finish_reason` is `ERROR`.
    package func streamErrorMessage(for error: ProxyError, framing: StreamFraming) -> ByteBuffer? {
        switch framing {
        case .serverSentEvents:
            let data: JSONValue = [
                "type": "message-end",
                "delta": ["finish_reason": "ERROR", "error": .string(error.message)],
            ]
            return SSEEvent(event: "message-end", data: data.encodedString()).byteBuffer
        case .jsonLines:
            let line: JSONValue = ["event_type": "stream-end", "is_finished": true, "finish_reason": "ERROR", "error": .string(error.message)]
            return ByteBuffer(string: line.encodedString() + "\n")
        case .awsEventStream:
            return nil
        }
    }

    private static let jsonEndpoints: Set<String> = ["/v2/chat", "/v1/chat", "/v2/embed", "/v1/embed", "/v2/rerank", "/v1/rerank"]

    package func requiresJSONBody(nativePath: String) -> Bool {
        Self.jsonEndpoints.contains(nativePath)
    }

    package func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary {
        let fields = try JSONRequestFields.read(from: requestBody)
        return RequestSummary(model: fields.model, isStreaming: fields.stream ?? false)
    }

    private static let billedUnitsKey = UsageObjectKey("billed_units")

    /// `message-end` (v2) and `stream-end` (v1) carry `billed_units`; nothing else does.
    package func usage(inStreamMessage message: ByteBuffer) -> TokenUsage? {
        Self.billedUnitsKey.mayBeIn(message) ? self.usage(inResponseBody: message) : nil
    }

    /// What is billed (`billed_units`), which is what limits are about; the raw `tokens` count
    /// includes the prompt template.
    package func usage(inResponseBody body: ByteBuffer) -> TokenUsage? {
        guard let billed = Self.billedUnitsKey.counts(in: body) else { return nil }
        let result = TokenUsage(inputTokens: billed["input_tokens"], outputTokens: billed["output_tokens"])
        return result.isEmpty ? nil : result
    }
}
