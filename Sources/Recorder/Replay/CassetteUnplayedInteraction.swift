/// A recorded interaction that replay never served: a sign that the code under test no longer
/// makes a call the recording expects.
package struct CassetteUnplayedInteraction: Sendable, Hashable, CustomStringConvertible {
    /// Index of the cassette in the list given to the replay server.
    package var cassetteIndex: Int
    /// Index of the interaction within that cassette.
    package var interactionIndex: Int
    package var method: String
    package var path: String

    package init(cassetteIndex: Int, interactionIndex: Int, method: String, path: String) {
        self.cassetteIndex = cassetteIndex
        self.interactionIndex = interactionIndex
        self.method = method
        self.path = path
    }

    package var description: String {
        "cassette \(self.cassetteIndex) interaction \(self.interactionIndex): \(self.method) \(self.path)"
    }
}
