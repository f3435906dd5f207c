import Foundation

extension KeyedEncodingContainer {
    /// Ids are written lower case, the form URLs and logs use; Foundation's own `UUID` encoding
    /// is upper case.
    mutating func encodeID(_ id: UUID, forKey key: Key) throws {
        try self.encode(id.uuidString.lowercased(), forKey: key)
    }

    mutating func encodeIDs(_ ids: [UUID], forKey key: Key) throws {
        try self.encode(ids.map { $0.uuidString.lowercased() }, forKey: key)
    }
}
