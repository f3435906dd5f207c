package import HTTPTypes

/// The key of an `Authorization: Bearer <key>` header, as every emulator that takes one reads it.
package enum BearerCredential {
    /// The key (scheme case-insensitive, surrounding whitespace trimmed), or `nil` when there is
    /// none or it is empty.
    package static func key(in headers: HTTPFields) -> String? {
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingWhitespace()
        return key.isEmpty ? nil : key
    }

    /// Shows only enough of a key to recognise it in an error body: the first five and last four
    /// characters of a long key, nothing of a short one.
    package static func masked(_ key: String) -> String {
        guard key.count >= 16 else { return String(repeating: "*", count: max(key.count, 4)) }
        return "\(key.prefix(5))\(String(repeating: "*", count: key.count - 9))\(key.suffix(4))"
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        var view = self
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
