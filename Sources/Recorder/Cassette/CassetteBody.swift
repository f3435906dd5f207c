package import Foundation

/// Body bytes with an explicit encoding: readable text when the bytes are UTF-8, base64 when
/// they are not (gzip, AWS event-stream). Either way ``bytes`` are exactly what was sent.
package struct CassetteBody: Codable, Sendable, Hashable {
    package enum Encoding: String, Codable, Sendable, Hashable {
        case utf8
        case base64
    }

    package var encoding: Encoding
    package var data: String
    /// Set when the original bytes were lost and the body was rebuilt from a parsed form
    /// (pydantic-ai's `parsed_body` captures). Such bodies are JSON-equivalent, not byte-exact.
    package var reserialized: Bool?

    package init(encoding: Encoding, data: String, reserialized: Bool? = nil) {
        self.encoding = encoding
        self.data = data
        self.reserialized = reserialized
    }

    /// Stores `bytes` as text when they are valid UTF-8 (and `preferBinary` is false),
    /// otherwise as base64.
    package init(bytes: some Collection<UInt8>, preferBinary: Bool = false, reserialized: Bool? = nil) {
        if !preferBinary, let text = String(validating: bytes, as: UTF8.self) {
            self.init(encoding: .utf8, data: text, reserialized: reserialized)
        } else {
            self.init(encoding: .base64, data: Data(bytes).base64EncodedString(), reserialized: reserialized)
        }
    }

    /// The exact bytes. ``Cassette/load(from:)`` refuses a cassette with malformed base64, so
    /// the empty fallback is reached only by a body built by hand with bad data.
    package var bytes: Data {
        switch self.encoding {
        case .utf8: Data(self.data.utf8)
        case .base64: Data(base64Encoded: self.data) ?? Data()
        }
    }

    package var isEmpty: Bool { self.data.isEmpty }
}
