import Foundation
import NIOCore
import NIOFoundationCompat
import WireFormats

/// Makes every OpenAI-compatible chat stream report its usage, so that it is counted and priced
/// (GATEWAY.md §5: upstream streams always get `stream_options.include_usage`).
///
/// A streamed chat completion reports usage only when the client asked for it. When it did not,
/// the proxy asks upstream (``upstreamBody(for:)``) and drops the one chunk that request adds, the
/// usage-only chunk with `"choices": []` (``isAddedUsageChunk(_:)``), so the client sees the stream
/// it asked for. Providers that put the usage on the finish chunk instead (Groq) leave a `usage`
/// field the client's SDK already types as optional.
///
/// Only providers known to accept `stream_options`: Mistral and Perplexity report usage anyway,
/// and a provider that refuses unknown fields would turn every stream into a 400.
enum StreamUsageOption {
    static let providers: Set<String> = ["openai", "azure", "groq", "cerebras", "openrouter", "xai", "vllm", "ollama"]

    /// The body to send upstream instead of the client's, or `nil` when it stays as it is: not a
    /// chat stream of such a provider, or the client already asked for usage. A client's
    /// `include_usage: false` is overridden too (and the chunk dropped): otherwise it would be a
    /// way around spending limits.
    static func upstreamBody(for exchange: ProxyExchange) -> ByteBuffer? {
        guard exchange.summary.isStreaming, Self.providers.contains(exchange.provider.declaration.id),
            exchange.clientDialect is OpenAIDialect, exchange.operationPath.hasSuffix("/chat/completions"),
            case .collected(let body) = exchange.request.body,
            // The cheap test first: many clients that stream already ask for usage.
            !Self.asksForUsage.contains(where: { JSONObjectScanner.contains($0, in: body) }),
            case .object(var members)? = try? JSONValue(parsing: Data(body.readableBytesView)),
            members["stream_options"]?["include_usage"]?.boolValue != true
        else { return nil }
        var options: [String: JSONValue] = [:]
        if case .object(let given)? = members["stream_options"] { options = given }
        options["include_usage"] = true
        members["stream_options"] = .object(options)
        return ByteBuffer(data: JSONValue.object(members).encodedData())
    }

    private static let asksForUsage = [Array(#""include_usage":true"#.utf8), Array(#""include_usage": true"#.utf8)]

    private static let emptyChoices = [Array(#""choices":[]"#.utf8), Array(#""choices": []"#.utf8)]

    /// Whether an SSE message is the usage-only chunk: empty `choices` and a `usage` object.
    /// Azure's first chunk also has empty `choices`, but no usage: it stays.
    static func isAddedUsageChunk(_ message: ByteBuffer) -> Bool {
        guard Self.emptyChoices.contains(where: { JSONObjectScanner.contains($0, in: message) }) else { return false }
        return JSONObjectScanner.lastObject(forKey: "usage", in: message, read: UsageCounts.read) != nil
    }
}
