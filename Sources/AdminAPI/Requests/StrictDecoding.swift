import Foundation
import WireFormats

/// Decoding rules every admin request body follows, beyond what `Decodable` synthesises:
/// unknown fields are refused (a misspelt `provider_key_id` must not silently create a key that
/// maps nothing), and `null` is told apart from absence where a PATCH gives them different
/// meanings.
extension Decoder {
    /// Throws ``AdminAPIError/unknownField(_:)`` for the first key of the body's object that is
    /// not one of `Key`'s cases.
    func refuseUnknownKeys<Key: CodingKey & CaseIterable>(besides _: Key.Type) throws {
        let known = Set(Key.allCases.map(\.stringValue))
        let container = try self.container(keyedBy: AnyCodingKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            // Bounded: the key is client input echoed in an error.
            throw AdminAPIError.unknownField(String(unknown.prefix(64)))
        }
    }
}

extension KeyedDecodingContainer {
    /// The value when present; `nil` when absent; an error when present as `null`, for fields a
    /// PATCH can change but not clear.
    func decodeUnlessAbsent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard self.contains(key) else { return nil }
        if try self.decodeNil(forKey: key) {
            throw AdminAPIError.invalidField(key.stringValue, "cannot be null")
        }
        return try self.decode(type, forKey: key)
    }

    /// An integer, decoded through `Double` because Foundation's decoder on Linux reports `1.5`
    /// or `1e20` for an `Int` as malformed JSON with no field named; this way the error names
    /// the field. `nil` when absent or `null`.
    func decodeIntegerIfPresent(forKey key: Key) throws -> Int? {
        guard let value = try self.decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value.rounded() == value, value.magnitude < 1e15 else {
            throw AdminAPIError.invalidField(key.stringValue, "must be an integer in range")
        }
        return Int(value)
    }

    /// `.none` when absent, `.some(nil)` when `null` (clear it), `.some(value)` otherwise.
    func decodeClearable<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value?? {
        guard self.contains(key) else { return .none }
        if try self.decodeNil(forKey: key) { return .some(nil) }
        return .some(try self.decode(type, forKey: key))
    }
}
