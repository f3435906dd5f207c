import Foundation
package import Gateway
package import WireFormats

/// One tool call the model made: its name and its arguments, parsed (`.string` when the
/// arguments are not JSON).
package struct ObservedToolCall: Sendable, Hashable {
    package var name: String
    package var arguments: JSONValue

    package init(name: String, arguments: JSONValue) {
        self.name = name
        self.arguments = arguments
    }

    /// Arguments given as JSON text (OpenAI, Cohere, streamed fragments) parsed when they are JSON.
    package init(name: String, argumentsText: String) {
        self.name = name
        self.arguments = (try? JSONValue(parsing: Data(argumentsText.utf8))) ?? .string(argumentsText)
    }
}

/// One tool result in the request history: the tool's name and its output, parsed when it is
/// JSON text.
package struct ObservedToolResult: Sendable, Hashable {
    package var toolName: String
    package var output: JSONValue

    package init(toolName: String, output: JSONValue) {
        self.toolName = toolName
        if case .string(let text) = output, let parsed = try? JSONValue(parsing: Data(text.utf8)) {
            self.output = parsed
        } else {
            self.output = output
        }
    }
}

/// What the trusted-data policies made of one tool result.
package enum ToolResultTrust: Sendable, Hashable {
    case trusted
    case untrusted
    /// Replaced upstream by ``ToolRefusal/blockedResultText(reason:)``; the context is untrusted.
    case blocked(reason: String)
}

/// What the tool-invocation policies made of one tool call.
package enum ToolCallVerdict: Sendable, Hashable {
    case allowed
    case blocked(reason: String)
}

/// GATEWAY.md §4's evaluation, pure: no I/O, no clock, the same answer for the same input.
///
/// Order, for both kinds: a matching *specific* (conditioned) `block_always` policy, then the
/// first matching specific policy, then the tool's default policy (no conditions), then the
/// fallback — a result is untrusted; a call is blocked when the context is untrusted. The
/// profile's own policies come before the organisation's at each stage (``ToolPolicySet``).
package struct ToolPolicyEvaluator: Sendable {
    package let policies: ToolPolicySet

    package init(policies: ToolPolicySet) {
        self.policies = policies
    }

    /// Archestra's own tools are trusted and never blocked.
    static func isBuiltIn(_ toolName: String) -> Bool { toolName.hasPrefix("archestra__") }

    // MARK: Trusted data

    package func trust(of result: ObservedToolResult) -> ToolResultTrust {
        if Self.isBuiltIn(result.toolName) { return .trusted }
        guard let policy = self.decidingPolicy(self.policies.trustedData[result.toolName] ?? [], on: result.output) else {
            return .untrusted
        }
        switch policy.action {
        case .markAsTrusted: return .trusted
        case .blockAlways: return .blocked(reason: policy.reason ?? "tool result blocked by policy")
        default: return .untrusted
        }
    }

    // MARK: Tool invocation

    package func verdict(for call: ObservedToolCall, contextIsUntrusted: Bool) -> ToolCallVerdict {
        if Self.isBuiltIn(call.name) { return .allowed }
        guard let policy = self.decidingPolicy(self.policies.invocation[call.name] ?? [], on: call.arguments) else {
            return contextIsUntrusted ? .blocked(reason: "the context is untrusted and no policy allows this tool") : .allowed
        }
        switch policy.action {
        case .blockAlways:
            return .blocked(reason: policy.reason ?? "tool call blocked by policy")
        case .blockWhenContextIsUntrusted where contextIsUntrusted:
            return .blocked(reason: policy.reason ?? "tool call blocked by policy: the context is untrusted")
        default:
            return .allowed
        }
    }

    /// The first blocked call of `calls` with its reason: the first block fails the whole turn.
    package func firstBlocked(_ calls: [ObservedToolCall], contextIsUntrusted: Bool) -> (call: ObservedToolCall, reason: String)? {
        for call in calls {
            if case .blocked(let reason) = self.verdict(for: call, contextIsUntrusted: contextIsUntrusted) { return (call, reason) }
        }
        return nil
    }

    /// The names of the calls of `calls` that are blocked, for the request log.
    package func blockedNames(_ calls: [ObservedToolCall], contextIsUntrusted: Bool) -> [String] {
        calls.compactMap { call in
            if case .blocked = self.verdict(for: call, contextIsUntrusted: contextIsUntrusted) { return call.name }
            return nil
        }
    }

    /// Whether some tool call could be blocked in this context: an untrusted context blocks
    /// every tool without an allowing policy — tools with no policy at all included, which is
    /// the caveat GATEWAY.md names in Archestra's streaming — and a trusted one only tools with
    /// a `block_always` policy. `false` means the answer's tool calls need no look at all.
    package func anyCallMayBeBlocked(contextIsUntrusted: Bool) -> Bool {
        if contextIsUntrusted { return true }
        return self.policies.invocation.values.contains { $0.contains { $0.action == .blockAlways } }
    }

    private func decidingPolicy(_ candidates: [ToolPolicy], on value: JSONValue) -> ToolPolicy? {
        let specific = candidates.filter { !$0.conditions.isEmpty }
        if let block = specific.first(where: { $0.action == .blockAlways && Self.matches($0.conditions, value) }) { return block }
        if let first = specific.first(where: { Self.matches($0.conditions, value) }) { return first }
        return candidates.first { $0.conditions.isEmpty }
    }

    static func matches(_ conditions: [ToolPolicyCondition], _ value: JSONValue) -> Bool {
        conditions.allSatisfy { ToolPolicyConditionMatcher.holds($0, on: value) }
    }
}
