/// One way a received request differs from a recorded one, for the miss report.
public struct CassetteDifference: Sendable, Hashable, CustomStringConvertible {
    /// What differs: `method`, `path`, `query.<name>`, `body`, or `body.<json path>`.
    public var location: String
    public var recorded: String
    public var received: String

    public init(location: String, recorded: String, received: String) {
        self.location = location
        self.recorded = recorded
        self.received = received
    }

    public var description: String { "\(self.location): recorded \(self.recorded), received \(self.received)" }
}
