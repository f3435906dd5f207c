import WireFormats

/// Walks two JSON values side by side and lists the paths where they differ, skipping
/// ignored dotted paths. Paths read like `body.messages[0].content`.
struct JSONDifferenceFinder {
    /// Ignored paths, split into segments once.
    private let ignored: [[Substring]]

    init(ignoredFields: [String]) {
        self.ignored = ignoredFields.map { $0.split(separator: ".") }
    }

    func differences(_ received: JSONValue, recorded: JSONValue, at root: String) -> [CassetteDifference] {
        var output: [CassetteDifference] = []
        self.walk(received, recorded, location: root, keyPath: [], into: &output)
        return output
    }

    private func isIgnored(_ keyPath: [String]) -> Bool {
        self.ignored.contains { segments in
            segments.count == keyPath.count && zip(segments, keyPath).allSatisfy { $0 == $1 }
        }
    }

    /// `keyPath` holds object keys only (array indices are transparent), so an ignored path
    /// `messages.content` covers the `content` of every message.
    private func walk(
        _ received: JSONValue?,
        _ recorded: JSONValue?,
        location: String,
        keyPath: [String],
        into output: inout [CassetteDifference]
    ) {
        if !keyPath.isEmpty, self.isIgnored(keyPath) { return }
        switch (received, recorded) {
        case (.object(let left)?, .object(let right)?):
            for key in Set(left.keys).union(right.keys).sorted() {
                self.walk(left[key], right[key], location: "\(location).\(key)", keyPath: keyPath + [key], into: &output)
            }
        case (.array(let left)?, .array(let right)?):
            for index in 0..<max(left.count, right.count) {
                self.walk(
                    index < left.count ? left[index] : nil,
                    index < right.count ? right[index] : nil,
                    location: "\(location)[\(index)]",
                    keyPath: keyPath,
                    into: &output
                )
            }
        default:
            if !Self.equivalent(received, recorded) {
                output.append(
                    CassetteDifference(location: location, recorded: Self.render(recorded), received: Self.render(received))
                )
            }
        }
    }

    /// `1` and `1.0` are the same JSON number.
    private static func equivalent(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        if let left, let right, let a = left.doubleValue, let b = right.doubleValue { return a == b }
        return left == right
    }

    private static func render(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        let text = value.encodedString()
        return text.count > 200 ? "\(text.prefix(200))…" : text
    }
}
