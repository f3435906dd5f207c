package import Foundation

/// The tool policies that apply to one profile, indexed by tool name for the hot path: the
/// profile's own policies first, then the organisation's defaults, each in creation order.
///
/// Built once per profile and revision by ``GatewayDirectory``; evaluating a request never
/// reads the store.
package struct ToolPolicySet: Sendable {
    package static let empty = ToolPolicySet(invocation: [:], trustedData: [:])

    /// Tool-invocation policies by tool name.
    package let invocation: [String: [ToolPolicy]]
    /// Trusted-data policies by tool name.
    package let trustedData: [String: [ToolPolicy]]

    package init(invocation: [String: [ToolPolicy]], trustedData: [String: [ToolPolicy]]) {
        self.invocation = invocation
        self.trustedData = trustedData
    }

    /// The policies of `all` that apply to `profileID`.
    package init(policies all: [ToolPolicy], profileID: UUID) {
        let applicable = all.filter { $0.profileID == profileID } + all.filter { $0.profileID == nil }
        self.init(
            invocation: Dictionary(grouping: applicable.filter { $0.kind == .toolInvocation }, by: \.toolName),
            trustedData: Dictionary(grouping: applicable.filter { $0.kind == .trustedData }, by: \.toolName)
        )
    }

    /// No policy of either kind: nothing but an untrusted context can block a call.
    package var isEmpty: Bool { self.invocation.isEmpty && self.trustedData.isEmpty }
}
