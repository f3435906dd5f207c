/// One way a received request differs from a recorded one, for the miss report.
package struct CassetteDifference: Sendable, Hashable, CustomStringConvertible {
    /// What differs: `method`, `path`, `query.<name>`, `body`, or `body.<json path>`.
    package var location: String
    package var recorded: String
    package var received: String

    package init(location: String, recorded: String, received: String) {
        self.location = location
        self.recorded = recorded
        self.received = received
    }

    package var description: String { "\(self.location): recorded \(self.recorded), received \(self.received)" }
}
