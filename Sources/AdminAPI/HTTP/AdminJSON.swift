package import Foundation
package import NIOCore

/// The admin API's JSON conventions, shared by the HTTP routes and the CLI so that both print the
/// same bytes for the same resource: snake_case keys (spelled out in each type's `CodingKeys`,
/// not converted, so the OpenAPI document can be checked against them), RFC 3339 dates in UTC
/// with milliseconds, sorted keys.
package enum AdminJSON {
    package static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an RFC 3339 date-time")
            }
            return date
        }
        return decoder
    }

    package static func encode(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try self.encoder().encode(value))
    }
}

/// RFC 3339 `date-time` (the OpenAPI `format: date-time`), which is stricter than what
/// ``Date/ISO8601FormatStyle`` parses by default: a time zone is required, `T`/`Z` may be lower
/// case, fractional seconds are optional.
package enum RFC3339 {
    package static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    package static func date(from text: String) -> Date? {
        // Bounded before parsing: the value is client input.
        guard text.utf8.count <= 64 else { return nil }
        let normalised = text.uppercased()
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? withFraction.parse(normalised) { return date }
        return try? Date.ISO8601FormatStyle().parse(normalised)
    }
}
