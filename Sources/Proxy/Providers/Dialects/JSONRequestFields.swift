import Foundation
package import NIOCore
import NIOFoundationCompat
import WireFormats

/// The two request fields most dialects need, `model` and `stream`, read while the whole body is
/// checked to be one JSON object. Errors are ``ProxyError/malformedJSON(_:)`` that never quote
/// the body.
package struct JSONRequestFields: Decodable, Sendable {
    package var model: String?
    package var stream: Bool?

    package static func read(from body: ByteBuffer) throws(ProxyError) -> JSONRequestFields {
        try Self.requireUTF8(body)
        if let fields = Self.readStrictly(body) { return fields }
        do {
            return try JSONDecoder().decode(JSONRequestFields.self, from: body)
        } catch let error as DecodingError {
            throw .malformedJSON(Self.describe(error))
        } catch {
            throw .malformedJSON("the body is not valid JSON")
        }
    }

    private static let names: Set<String> = ["model", "stream"]

    /// The fields of a strict JSON object by ``SmallJSONObject/members(_:of:)``, which checks the
    /// whole body without building it; `nil` for the decoder to read the body (or to say what is
    /// wrong with it) when the reader leaves it, or a field has another type than the decoder
    /// reads without complaint. The decoder was 2% of the proxy's CPU a request on the smallest
    /// chat body, and grows with the body (docs/benchmarks.md).
    private static func readStrictly(_ body: ByteBuffer) -> JSONRequestFields? {
        guard let members = body.withUnsafeReadableBytes({ SmallJSONObject.members(Self.names, of: $0) }) else { return nil }
        var fields = JSONRequestFields()
        switch members["model"] {
        case nil, .null?: break
        case .string(let model)?: fields.model = model
        default: return nil
        }
        switch members["stream"] {
        case nil, .null?: break
        case .bool(let stream)?: fields.stream = stream
        default: return nil
        }
        return fields
    }

    /// JSON is UTF-8 (RFC 8259 §8.1), but JSONDecoder checks only the strings it reads: bytes
    /// that are not UTF-8 in any other field (or in a duplicate key's value) passed, found by
    /// `scripts/fuzz summarisers`, and reached the policies and the upstream as a body no strict
    /// JSON parser accepts. Validated in place (`UTF8Span`): a `String` made to check would copy
    /// every body.
    package static func requireUTF8(_ body: ByteBuffer) throws(ProxyError) {
        let valid = body.withUnsafeReadableBytes { raw in
            raw.withMemoryRebound(to: UInt8.self) { bytes in (try? UTF8Span(validating: bytes.span)) != nil }
        }
        guard valid else {
            throw .malformedJSON("the body is not UTF-8")
        }
    }

    /// A short, body-free explanation: decoding errors can quote values, and values can be secrets.
    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted: return "the body is not valid JSON"
        case .typeMismatch(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "the body must be a JSON object" : "field '\(path)' has the wrong type"
        case .valueNotFound(_, let context):
            return "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null"
        case .keyNotFound(let key, _): return "field '\(key.stringValue)' is missing"
        @unknown default: return "the body is not valid JSON"
        }
    }
}
