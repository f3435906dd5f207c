package import Foundation

/// A tool-call policy (GATEWAY.md §4): a rule on the model's calls to one tool
/// (``ToolPolicyKind/toolInvocation``) or on the results of one tool found in the request
/// history (``ToolPolicyKind/trustedData``).
///
/// A policy belongs to one profile (or LLM proxy), or, with no profile, to the whole
/// organisation: the organisation's policies are the defaults every profile starts from, and a
/// profile's own policies for a tool are consulted before them.
package struct ToolPolicy: Sendable, Hashable, Codable {
    package var id: UUID
    package var kind: ToolPolicyKind
    /// `nil`: an organisation default, applying to every profile.
    package var profileID: UUID?
    /// The tool's name exactly as the model sees it.
    package var toolName: String
    /// ANDed; none makes this the tool's default policy, consulted after the specific ones.
    package var conditions: [ToolPolicyCondition]
    package var action: ToolPolicyAction
    /// Shown to the client in the refusal (invocation) or in the blocked result (trusted data).
    package var reason: String?
    package var createdAt: Date

    package init(
        id: UUID, kind: ToolPolicyKind, profileID: UUID?, toolName: String, conditions: [ToolPolicyCondition],
        action: ToolPolicyAction, reason: String?, createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.profileID = profileID
        self.toolName = toolName
        self.conditions = conditions
        self.action = action
        self.reason = reason
        self.createdAt = createdAt
    }
}

package enum ToolPolicyKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// On the model's tool calls (`tool-invocation.ts`).
    case toolInvocation = "tool_invocation"
    /// On tool results in the request history (`trusted-data.ts`).
    case trustedData = "trusted_data"

    /// The actions a policy of this kind may take.
    package var actions: [ToolPolicyAction] {
        switch self {
        case .toolInvocation: return [.allowWhenContextIsUntrusted, .blockWhenContextIsUntrusted, .blockAlways, .requireApproval]
        case .trustedData: return [.markAsTrusted, .markAsUntrusted, .blockAlways, .sanitizeWithDualLLM]
        }
    }
}

/// Archestra's action names, both kinds together (`block_always` is shared).
package enum ToolPolicyAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Invocation: "allow always", even in an untrusted context.
    case allowWhenContextIsUntrusted = "allow_when_context_is_untrusted"
    case blockWhenContextIsUntrusted = "block_when_context_is_untrusted"
    case blockAlways = "block_always"
    /// Invocation: behaves as allow in the proxy, as in Archestra's batch evaluation.
    case requireApproval = "require_approval"
    case markAsTrusted = "mark_as_trusted"
    case markAsUntrusted = "mark_as_untrusted"
    /// Trusted data: Archestra's dual-LLM quarantine. The proxy has no dual LLM; such a result is
    /// treated as untrusted (docs/guardrails.md).
    case sanitizeWithDualLLM = "sanitize_with_dual_llm"
}

/// `{key, operator, value}`: `key` is a path into the tool's arguments (invocation) or its output
/// (trusted data), dots between fields, `[*]` for every element of an array (`items[*].url`).
package struct ToolPolicyCondition: Sendable, Hashable, Codable {
    package var key: String
    package var `operator`: ToolPolicyOperator
    package var value: String

    package init(key: String, operator: ToolPolicyOperator, value: String) {
        self.key = key
        self.operator = `operator`
        self.value = value
    }
}

package enum ToolPolicyOperator: String, Sendable, Hashable, Codable, CaseIterable {
    case equal
    case notEqual
    case contains
    case notContains
    case startsWith
    case endsWith
    case regex
}

/// What a caller supplies to create a policy.
package struct ToolPolicyDraft: Sendable, Hashable {
    package var kind: ToolPolicyKind
    package var profileID: UUID?
    package var toolName: String
    package var conditions: [ToolPolicyCondition]
    package var action: ToolPolicyAction
    package var reason: String?

    package init(
        kind: ToolPolicyKind, profileID: UUID? = nil, toolName: String, conditions: [ToolPolicyCondition] = [],
        action: ToolPolicyAction, reason: String? = nil
    ) {
        self.kind = kind
        self.profileID = profileID
        self.toolName = toolName
        self.conditions = conditions
        self.action = action
        self.reason = reason
    }

    /// Why the draft cannot be stored, `nil` when it can: an empty tool name, an action of the
    /// other kind, an empty condition key, or a regex that does not compile.
    package var problem: String? {
        if self.toolName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "a policy needs a non-empty tool name" }
        if !self.kind.actions.contains(self.action) {
            return "action \(self.action.rawValue) is not one of \(self.kind.rawValue)'s: \(self.kind.actions.map(\.rawValue).joined(separator: ", "))"
        }
        for condition in self.conditions {
            if condition.key.isEmpty { return "a condition needs a non-empty key" }
            if condition.operator == .regex, (try? Regex(condition.value)) == nil {
                return "condition on \(condition.key): the regex does not compile"
            }
        }
        return nil
    }
}
