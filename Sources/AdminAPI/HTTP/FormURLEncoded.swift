import WireFormats

/// `application/x-www-form-urlencoded` as RFC 6749 uses it (the token request body, and the id
/// and secret inside HTTP Basic, §2.3.1).
enum FormURLEncoded {
    /// One name's values in order of appearance. `nil` when a pair or an escape is malformed.
    static func parse(_ body: String) -> [String: [String]]? {
        var fields: [String: [String]] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = self.decode(parts[0]), !name.isEmpty else { return nil }
            let value = parts.count > 1 ? self.decode(parts[1]) : ""
            guard let value else { return nil }
            fields[name, default: []].append(value)
        }
        return fields
    }

    /// `+` is a space, `%XX` a byte; the bytes must be UTF-8.
    static func decode(_ component: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(), let escaped = PercentEncoding.byte(high: high, low: low) else {
                    return nil
                }
                bytes.append(escaped)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
