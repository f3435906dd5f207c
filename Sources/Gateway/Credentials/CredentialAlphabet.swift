/// The characters each credential format allows, checked before any lookup.
extension String {
    /// Whether every byte after `prefix` is one of `allowed` and there are exactly `count` of them.
    func hasPrefix(_ prefix: String, followedBy count: Int, of allowed: (UInt8) -> Bool) -> Bool {
        guard self.hasPrefix(prefix) else { return false }
        let rest = self.utf8.dropFirst(prefix.utf8.count)
        return rest.count == count && rest.allSatisfy(allowed)
    }
}

enum CredentialAlphabet {
    static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
