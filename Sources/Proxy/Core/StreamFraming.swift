import Foundation
import NIOCore
import WireFormats

/// How a streamed response body divides into messages, decided from its content type so that
/// no provider needs its own relay.
package enum StreamFraming: Sendable, Equatable {
    /// `text/event-stream`: OpenAI and its compatibles, Anthropic, Gemini with `alt=sse`, Cohere v2.
    case serverSentEvents
    /// `application/x-ndjson` (and `application/jsonl`): Ollama's native API.
    case jsonLines
    /// `application/vnd.amazon.eventstream`: Bedrock's binary messages, CRCs checked.
    case awsEventStream

    /// `nil` for bodies that are not message streams (relayed chunk by chunk).
    package init?(contentType: String?) {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?.trimmingHTTPWhitespace().lowercased() ?? ""
        switch mediaType {
        case "text/event-stream": self = .serverSentEvents
        // `application/stream+json`: Cohere v1 chat streams.
        case "application/x-ndjson", "application/jsonl", "application/jsonlines", "application/stream+json": self = .jsonLines
        case "application/vnd.amazon.eventstream": self = .awsEventStream
        default: return nil
        }
    }

    /// A fresh framer for one response.
    func makeFramer() -> any MessageFramer {
        switch self {
        case .serverSentEvents: return SSEEventFramer()
        case .jsonLines: return JSONLinesFramer()
        case .awsEventStream: return AWSEventStreamFramer()
        }
    }
}

/// A framer the relay can drive without knowing which one it is.
protocol MessageFramer {
    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer?
    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer?
}

extension SSEEventFramer: MessageFramer {}
extension JSONLinesFramer: MessageFramer {}
extension AWSEventStreamFramer: MessageFramer {}
