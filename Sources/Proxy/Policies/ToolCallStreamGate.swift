import NIOCore

/// The tool-invocation policies on a streamed answer (GATEWAY.md §4, "Streaming"): text streams
/// live; from the first tool-call event on, messages are held until the upstream ends, then
/// the calls are evaluated whole — allowed, the held messages are flushed unchanged; blocked,
/// they are replaced by the refusal as the dialect's own events with a stop finish reason.
///
/// Installed only when some call could be blocked in the request's context
/// (``ToolPolicyEvaluator/anyCallMayBeBlocked(contextIsUntrusted:)``), which is what fixes
/// Archestra's caveat: a tool with no policy is held, not streamed, when the context is
/// untrusted. Holding from the first call, not from the first call with a policy, keeps a
/// blocked turn whole: the first blocked call fails the turn, and calls already sent could
/// not be taken back.
struct ToolCallStreamGate: StreamMessageFilter {
    var inspector: any ToolStreamInspector
    let evaluator: ToolPolicyEvaluator
    let contextIsUntrusted: Bool
    private var held: [(message: ByteBuffer, kind: ToolStreamMessageKind)] = []
    private(set) var isHolding = false

    init(inspector: any ToolStreamInspector, evaluator: ToolPolicyEvaluator, contextIsUntrusted: Bool) {
        self.inspector = inspector
        self.evaluator = evaluator
        self.contextIsUntrusted = contextIsUntrusted
    }

    mutating func filter(_ message: ByteBuffer, into output: inout [ByteBuffer]) {
        let kind = self.inspector.inspect(message)
        if kind == .toolCall { self.isHolding = true }
        if self.isHolding {
            self.held.append((message, kind))
        } else {
            output.append(message)
        }
    }

    mutating func finish(into output: inout [ByteBuffer], tally: inout RelayTally) {
        guard self.isHolding else { return }
        self.isHolding = false
        let held = self.held
        self.held = []
        guard let (call, reason) = self.evaluator.firstBlocked(self.inspector.calls, contextIsUntrusted: self.contextIsUntrusted) else {
            output.append(contentsOf: held.map(\.message))
            return
        }
        tally.blockedToolCalls = self.evaluator.blockedNames(self.inspector.calls, contextIsUntrusted: self.contextIsUntrusted)
        output.append(contentsOf: self.inspector.blockedEnding(refusal: ToolRefusal(call: call, reason: reason), held: held))
    }
}
