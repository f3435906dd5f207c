import Foundation
import HTTPTypes
package import NIOCore
import NIOFoundationCompat
import WireFormats

/// Anthropic's Messages API: `{"type":"error","error":{...}}` errors, `event: error` in streams,
/// and usage from `message_start` / `message_delta` events or the message's `usage`.
package struct AnthropicDialect: ProviderDialect {
    package init() {}

    package func errorBody(for error: ProxyError) -> ByteBuffer {
        ByteBuffer(data: self.anthropicError(for: error).data)
    }

    package func streamErrorMessage(for error: ProxyError, framing: StreamFraming) -> ByteBuffer? {
        switch framing {
        case .serverSentEvents: return self.anthropicError(for: error).streamEvent.byteBuffer
        case .jsonLines, .awsEventStream: return nil
        }
    }

    /// Message creation and token counting carry JSON; batches and files pass through untouched.
    private static let jsonEndpoints: Set<String> = ["/v1/messages", "/v1/messages/count_tokens", "/v1/complete"]

    package func requiresJSONBody(nativePath: String) -> Bool {
        Self.jsonEndpoints.contains(nativePath)
    }

    package func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary {
        let fields = try JSONRequestFields.read(from: requestBody)
        return RequestSummary(model: fields.model, isStreaming: fields.stream ?? false)
    }

    private static let usageKey = UsageObjectKey("usage")

    /// Only `message_start` and `message_delta` carry `usage`; other events fail the byte search.
    package func usage(inStreamMessage message: ByteBuffer) -> TokenUsage? {
        Self.usageKey.mayBeIn(message) ? self.usage(inResponseBody: message) : nil
    }

    /// `input_tokens` counts only uncached input; cache reads and writes are input too, and are
    /// kept apart as well (`message_delta` repeats them cumulatively when it carries them).
    package func usage(inResponseBody body: ByteBuffer) -> TokenUsage? {
        guard let usage = Self.usageKey.counts(in: body) else { return nil }
        var input: Int?
        for key in ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] {
            if let count = usage[key] { input = (input ?? 0) + count }
        }
        let result = TokenUsage(
            inputTokens: input,
            outputTokens: usage["output_tokens"],
            cacheReadTokens: usage["cache_read_input_tokens"],
            cacheWriteTokens: usage["cache_creation_input_tokens"]
        )
        return result.isEmpty ? nil : result
    }

    private func anthropicError(for error: ProxyError) -> AnthropicErrorBody {
        AnthropicErrorBody(type: AnthropicErrorBody.type(forStatus: error.status.code), message: error.message)
    }
}
