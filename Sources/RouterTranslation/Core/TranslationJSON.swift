package import Foundation
package import WireFormats

/// The one JSON configuration every translator uses, so bodies are byte-stable (sorted keys,
/// unescaped slashes) and golden tests can compare bytes.
package enum TranslationJSON {
    /// Encodes `value` with sorted keys. Only non-finite doubles can fail; they come from the
    /// client (e.g. `temperature: NaN` cannot be parsed from JSON anyway), so a failure is the
    /// client's: 400.
    package static func encode(_ value: some Encodable) throws(TranslationError) -> Data {
        try self.encode(value, with: self.makeEncoder())
    }

    /// The encoder every translated body is written with (sorted keys: byte-stable output).
    /// A stream makes one and writes every chunk with it.
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    package static func encode(_ value: some Encodable, with encoder: JSONEncoder) throws(TranslationError) -> Data {
        do {
            return try encoder.encode(value)
        } catch {
            throw .invalidRequest(field: "body", message: "The request could not be encoded for the target: \(error)")
        }
    }

    /// Decodes an upstream body; any failure is the upstream's (502), described by `what`.
    package static func decodeUpstream<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(TranslationError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw .malformedUpstream("\(what): \(describe(error))")
        }
    }

    /// Parses a JSON text the client sent inside a string (tool-call `arguments`): empty means
    /// `{}` because OpenAI clients send `""` for argument-less calls.
    package static func parseEmbedded(_ text: String, field: String) throws(TranslationError) -> JSONValue {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .object([:]) }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw .invalidRequest(field: field, message: "\(field) is not valid JSON: \(text.prefix(200))")
        }
    }

    /// A compact JSON text for a value (tool arguments back to OpenAI's string form).
    package static func text(of value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONValue holds only finite numbers when it came from JSON, so this cannot fail in
        // practice; "{}" keeps the arguments parseable if it ever does.
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A short description of a decoding error: the path and what was wrong, not the whole dump.
    package static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        switch decodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(decodingError)"
        }
    }
}
