/// A recorded interaction that replay never served: a sign that the code under test no longer
/// makes a call the recording expects.
public struct CassetteUnplayedInteraction: Sendable, Hashable, CustomStringConvertible {
    /// Index of the cassette in the list given to the replay server.
    public var cassetteIndex: Int
    /// Index of the interaction within that cassette.
    public var interactionIndex: Int
    public var method: String
    public var path: String

    public init(cassetteIndex: Int, interactionIndex: Int, method: String, path: String) {
        self.cassetteIndex = cassetteIndex
        self.interactionIndex = interactionIndex
        self.method = method
        self.path = path
    }

    public var description: String {
        "cassette \(self.cassetteIndex) interaction \(self.interactionIndex): \(self.method) \(self.path)"
    }
}
