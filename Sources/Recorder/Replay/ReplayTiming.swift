/// How fast replay writes a stream's frames.
package enum ReplayTiming: Sendable, Hashable, CustomStringConvertible {
    /// Each frame at its recorded offset from the response head.
    case recorded
    /// Every frame at once.
    case instant
    /// Recorded offsets divided by the factor: `.scaled(10)` plays ten times faster.
    case scaled(Double)

    /// Parses `recorded`, `instant`, or `xN` (e.g. `x10`, `x2.5`).
    package init?(argument: String) {
        switch argument.lowercased() {
        case "recorded": self = .recorded
        case "instant": self = .instant
        case let text where text.hasPrefix("x"):
            guard let factor = Double(text.dropFirst()), factor > 0, factor.isFinite else { return nil }
            self = .scaled(factor)
        default: return nil
        }
    }

    /// When, after the response head, a frame recorded at `offsetMs` is written.
    package func delay(forOffsetMs offsetMs: Int) -> Duration {
        let offset = max(0, offsetMs)
        switch self {
        case .recorded: return .milliseconds(offset)
        case .instant: return .zero
        case .scaled(let factor): return .nanoseconds(Int64((Double(offset) * 1_000_000 / factor).rounded()))
        }
    }

    package var description: String {
        switch self {
        case .recorded: "recorded"
        case .instant: "instant"
        case .scaled(let factor): "x\(factor)"
        }
    }
}
