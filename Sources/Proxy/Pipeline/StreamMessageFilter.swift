import NIOCore

/// A step's say over a relayed message stream, message by message: pass a message on, hold or
/// drop it, or send others in its place. ``ResponseRelay`` consults a filter only when a step
/// installed one, so a request that needs none relays bytes exactly as before, at no cost.
///
/// Filters compose (``StreamMessageFilterChain``): each sees what the one before it let
/// through, so the tool-call gate and a usage-chunk stripper can both act on one stream.
protocol StreamMessageFilter: Sendable {
    /// Appends to `output` what the client gets in place of `message`: usually `message`
    /// itself; nothing while it is held or when it is dropped; several messages when others are
    /// added.
    mutating func filter(_ message: ByteBuffer, into output: inout [ByteBuffer])
    /// The upstream ended normally: appends what is left to send (held messages, or their
    /// replacement) and notes what the filter did in `tally`. Not called after a failure.
    mutating func finish(into output: inout [ByteBuffer], tally: inout RelayTally)
    /// Whether messages are being withheld, during which the relay keeps an SSE stream alive
    /// with comments.
    var isHolding: Bool { get }
}

/// Several filters, in order.
struct StreamMessageFilterChain: StreamMessageFilter {
    var filters: [any StreamMessageFilter]

    mutating func filter(_ message: ByteBuffer, into output: inout [ByteBuffer]) {
        var current = [message]
        for index in self.filters.indices {
            var next: [ByteBuffer] = []
            for message in current { self.filters[index].filter(message, into: &next) }
            current = next
        }
        output.append(contentsOf: current)
    }

    mutating func finish(into output: inout [ByteBuffer], tally: inout RelayTally) {
        var carried: [ByteBuffer] = []
        for index in self.filters.indices {
            var next: [ByteBuffer] = []
            for message in carried { self.filters[index].filter(message, into: &next) }
            self.filters[index].finish(into: &next, tally: &tally)
            carried = next
        }
        output.append(contentsOf: carried)
    }

    var isHolding: Bool { self.filters.contains { $0.isHolding } }
}
