import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

extension Array where Element == UInt8 {
    /// Bytes stored as base64 split over several string literals (the real-capture fixtures).
    init(base64Chunks chunks: [String]) {
        self = [UInt8](Data(base64Encoded: chunks.joined()) ?? Data())
    }
}

/// Fixtures and shorthands shared by the Gemini and Bedrock translator tests.
enum TranslatorTestSupport {
    static let identity = CompletionIdentitySource.fixed(id: "chatcmpl-test", created: 1_700_000_000)

    /// A request body as JSON, for structural comparison with the expected document.
    static func json(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Each chunk as the exact JSON text the relay would write after `data: `.
    static func lines(_ chunks: [ChatCompletionChunk]) throws -> [String] {
        try chunks.map { String(decoding: try TranslationJSON.encode($0), as: UTF8.self) }
    }

    static func text(_ completion: ChatCompletion) throws -> String {
        String(decoding: try TranslationJSON.encode(completion), as: UTF8.self)
    }

    /// The `data:` payloads of an SSE body, split at blank lines (CRLF or LF), as the proxy's
    /// framer hands them to a stream translator.
    static func sseMessages(_ bytes: [UInt8]) -> [UpstreamStreamMessage] {
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        return text.components(separatedBy: "\n\n").compactMap { block in
            let data = block.split(separator: "\n").filter { $0.hasPrefix("data:") }
                .map { $0.dropFirst(5).drop { $0 == " " } }.joined(separator: "\n")
            return data.isEmpty ? nil : UpstreamStreamMessage(event: nil, json: data)
        }
    }

    /// The elements of Gemini's non-SSE JSON-array stream, one message each.
    static func jsonArrayMessages(_ bytes: [UInt8]) throws -> [UpstreamStreamMessage] {
        let elements = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [Any])
        return try elements.map { UpstreamStreamMessage(event: nil, data: try JSONSerialization.data(withJSONObject: $0)) }
    }

    /// Feeds every message, then ends the stream.
    static func run(_ translator: any ChatStreamTranslator, _ messages: [UpstreamStreamMessage]) throws -> [ChatCompletionChunk] {
        var translator = translator
        var chunks: [ChatCompletionChunk] = []
        for message in messages { chunks += try translator.translate(message) }
        return chunks + (try translator.finish())
    }
}
