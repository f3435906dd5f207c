/// Why bytes are not a valid event-stream message. Carries offsets and sizes, never payload bytes.
package struct AWSEventStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case preludeChecksumMismatch = "prelude_checksum_mismatch"
        case messageChecksumMismatch = "message_checksum_mismatch"
        case invalidLength = "invalid_length"
        case headersTooLong = "headers_too_long"
        case payloadTooLong = "payload_too_long"
        case invalidHeader = "invalid_header"
        case duplicateHeader = "duplicate_header"
        case truncatedMessage = "truncated_message"
    }

    package let code: Code
    package let detail: String

    init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    package var description: String { "\(self.code.rawValue): \(self.detail)" }
}
