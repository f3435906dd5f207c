import NIOCore

/// The key of a dialect's usage object (`usage`, `usageMetadata`, `billed_units`), so that the
/// byte search every stream message gets and the parse of the body look for the same key.
struct UsageObjectKey: Sendable {
    let name: String
    /// `"name"` with its quotes, as it stands in the JSON.
    private let quoted: [UInt8]

    init(_ name: String) {
        self.name = name
        self.quoted = Array("\"\(name)\"".utf8)
    }

    /// Whether `message` may carry the object: a byte search, so that the messages without one
    /// (nearly all of a stream) are never parsed.
    func mayBeIn(_ message: ByteBuffer) -> Bool {
        JSONObjectScanner.contains(self.quoted, in: message)
    }

    /// The counts of the last such object in `body`, `nil` when there is none.
    func counts(in body: ByteBuffer) -> UsageCounts? {
        JSONObjectScanner.lastObject(forKey: self.name, in: body, read: UsageCounts.read)
    }
}
