package import Foundation

/// A typed header value of an `application/vnd.amazon.eventstream` message (type codes 0–9).
package enum AWSEventStreamHeaderValue: Sendable, Hashable {
    case bool(Bool)
    case byte(Int8)
    case short(Int16)
    case integer(Int32)
    case long(Int64)
    case byteArray([UInt8])
    case string(String)
    /// Milliseconds since the Unix epoch, as on the wire.
    case timestamp(Int64)
    case uuid(UUID)

    /// The wire type code.
    var typeCode: UInt8 {
        switch self {
        case .bool(true): return 0
        case .bool(false): return 1
        case .byte: return 2
        case .short: return 3
        case .integer: return 4
        case .long: return 5
        case .byteArray: return 6
        case .string: return 7
        case .timestamp: return 8
        case .uuid: return 9
        }
    }

    /// The value when it is a string, else `nil`.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}

/// One named header of an event-stream message.
package struct AWSEventStreamHeader: Sendable, Hashable {
    package var name: String
    package var value: AWSEventStreamHeaderValue

    package init(name: String, value: AWSEventStreamHeaderValue) {
        self.name = name
        self.value = value
    }
}
