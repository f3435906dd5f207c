/// One header line as sent. Headers are an ordered list, not a map, because order and repeats
/// (two `set-cookie` lines) are part of what was on the wire.
public struct CassetteHeader: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == CassetteHeader {
    /// The first value of a header, compared case-insensitively.
    public func first(named name: String) -> String? {
        self.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
