/// One header line as sent. Headers are an ordered list, not a map, because order and repeats
/// (two `set-cookie` lines) are part of what was on the wire.
package struct CassetteHeader: Codable, Sendable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == CassetteHeader {
    /// The first value of a header, compared case-insensitively.
    package func first(named name: String) -> String? {
        self.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
