/// A request no unplayed recorded interaction answers, with the nearest recorded request and
/// how it differs, so the fix (re-record, or `--ignore-field`) is obvious from the log line.
package struct CassetteMiss: Error, Sendable, Hashable, CustomStringConvertible {
    /// `METHOD path` of the received request (secrets already redacted).
    package var request: String
    /// `METHOD path` of the nearest recorded request, if the cassettes hold any.
    package var nearest: String?
    /// Whether the nearest request matched but had already been played.
    package var nearestAlreadyPlayed: Bool
    package var differences: [CassetteDifference]

    package init(request: String, nearest: String?, nearestAlreadyPlayed: Bool = false, differences: [CassetteDifference]) {
        self.request = request
        self.nearest = nearest
        self.nearestAlreadyPlayed = nearestAlreadyPlayed
        self.differences = differences
    }

    package var description: String {
        guard let nearest else { return "no recorded interaction for \(self.request): the cassettes are empty" }
        if self.nearestAlreadyPlayed {
            return "no recorded interaction left for \(self.request): every matching one was already played"
        }
        let listed = self.differences.prefix(20).map(\.description).joined(separator: "; ")
        // A placeholder another recorder left in the recorded path is the usual cause: say so.
        let hint = CassettePlaceholders.hint(for: CassettePlaceholders.names(in: nearest)).map { " (\($0))" } ?? ""
        return "no recorded interaction for \(self.request); nearest is \(nearest), differing in \(listed)\(hint)"
    }
}
