import Foundation

/// How the recorder splits a response body into what the cassette keeps.
enum ResponseStreamKind: Equatable {
    /// `text/event-stream`, not content-encoded: one frame per whole SSE event.
    case serverSentEvents
    /// Other streaming types (AWS event-stream, NDJSON): one frame per chunk as it arrived.
    /// Chunk boundaries are synthetic, but offsets still show the pacing.
    case chunks
    /// Everything else: one whole body.
    case whole

    init(contentType: String?, contentEncoding: String?) {
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let encoded = contentEncoding.map { !$0.isEmpty && $0.lowercased() != "identity" } ?? false
        switch type {
        case "text/event-stream" where !encoded: self = .serverSentEvents
        case "application/vnd.amazon.eventstream", "application/x-ndjson", "application/jsonl", "application/json-seq":
            self = .chunks
        default: self = .whole
        }
    }

    /// Bodies stored as base64 even when they happen to be valid UTF-8: encoded or binary ones.
    static func prefersBinary(contentType: String?, contentEncoding: String?) -> Bool {
        if let contentEncoding, !contentEncoding.isEmpty, contentEncoding.lowercased() != "identity" { return true }
        return contentType?.lowercased().hasPrefix("application/vnd.amazon.eventstream") ?? false
    }
}

