import Foundation
import HTTPTypes
package import NIOCore
import NIOFoundationCompat
import WireFormats

/// The Gemini API (AI Studio) as google-genai speaks it: `google.rpc.Status` errors, the model and
/// the streaming flag in the path (`models/<model>:streamGenerateContent`), usage in
/// `usageMetadata`.
package struct GeminiDialect: ProviderDialect {
    package init() {}

    package func errorBody(for error: ProxyError) -> ByteBuffer {
        ByteBuffer(data: Self.status(for: error).data)
    }

    /// On `alt=sse` streams the error is one `data:` event, the only line google-genai's parser
    /// accepts. The JSON-array form has no in-band error that keeps the array valid, so it is cut.
    package func streamErrorMessage(for error: ProxyError, framing: StreamFraming) -> ByteBuffer? {
        switch framing {
        case .serverSentEvents: return ByteBuffer(string: Self.status(for: error).streamEventBytes)
        case .jsonLines, .awsEventStream: return nil
        }
    }

    /// Methods whose body is a JSON request; everything else (files, cached contents) passes through.
    private static let jsonMethods: Set<Substring> = [
        "generateContent", "streamGenerateContent", "countTokens", "embedContent", "batchEmbedContents",
    ]

    package func requiresJSONBody(nativePath: String) -> Bool {
        GeminiModelMethod(path: nativePath).map { Self.jsonMethods.contains($0.method) } ?? false
    }

    package func modelIsInPath(nativePath: String) -> Bool { GeminiModelMethod(path: nativePath) != nil }

    package func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary {
        _ = try JSONRequestFields.read(from: requestBody)
        let method = GeminiModelMethod(path: nativePath)
        return RequestSummary(model: method.map { String($0.model) }, isStreaming: method?.method == "streamGenerateContent")
    }

    private static let usageKey = UsageObjectKey("usageMetadata")

    package func usage(inStreamMessage message: ByteBuffer) -> TokenUsage? {
        Self.usageKey.mayBeIn(message) ? self.usage(inResponseBody: message) : nil
    }

    /// Thinking tokens are billed as output, so they count as output here (and as reasoning);
    /// `promptTokenCount` includes the cached content's tokens.
    package func usage(inResponseBody body: ByteBuffer) -> TokenUsage? {
        guard let usage = Self.usageKey.counts(in: body) else { return nil }
        var output: Int?
        for key in ["candidatesTokenCount", "thoughtsTokenCount"] {
            if let count = usage[key] { output = (output ?? 0) + count }
        }
        let result = TokenUsage(
            inputTokens: usage["promptTokenCount"],
            outputTokens: output,
            cacheReadTokens: usage["cachedContentTokenCount"],
            reasoningTokens: usage["thoughtsTokenCount"]
        )
        return result.isEmpty ? nil : result
    }

    private static func status(for error: ProxyError) -> GoogleRPCStatusBody {
        GoogleRPCStatusBody(code: error.status.code, message: error.message)
    }
}

/// `/<version>/models/<model>:<method>` split into its model and method; tolerates the doubled
/// `models/models/` some REST clients send.
package struct GeminiModelMethod: Sendable, Equatable {
    package let model: Substring
    package let method: Substring

    package init?(path: String) {
        // A colon before `/models/` (`/v1:x/models/m`) is no method: slicing between them
        // trapped, and any client could stop the process with one request path (found by
        // `scripts/fuzz summarisers`).
        guard let colon = path.lastIndex(of: ":"), let modelsRange = path.range(of: "/models/"), modelsRange.upperBound <= colon else {
            return nil
        }
        var model = path[modelsRange.upperBound..<colon]
        while model.hasPrefix("models/") { model = model.dropFirst("models/".count) }
        let method = path[path.index(after: colon)...]
        guard !model.isEmpty, !model.contains("/"), !method.isEmpty else { return nil }
        self.model = model
        self.method = method
    }
}
