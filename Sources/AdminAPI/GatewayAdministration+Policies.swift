package import Foundation
package import Gateway

extension GatewayAdministration {
    // MARK: Tool policies

    /// Every policy of `kind` (both kinds when `nil`), oldest first; `profileID` narrows to one
    /// profile's own.
    package func toolPolicies(kind: ToolPolicyKind?, profileID: UUID? = nil) async throws -> [ToolPolicyResource] {
        try await self.storeCall { try await self.store.toolPolicies() }
            .filter { kind == nil || $0.kind == kind }
            .filter { profileID == nil || $0.profileID == profileID }
            .map(ToolPolicyResource.init)
    }

    package func toolPolicy(id: UUID, kind: ToolPolicyKind) async throws -> ToolPolicyResource {
        guard let policy = try await self.storeCall({ try await self.store.toolPolicy(id: id) }), policy.kind == kind else {
            throw AdminAPIError.notFound(Self.resourceName(kind))
        }
        return ToolPolicyResource(policy)
    }

    /// Checks the draft (tool name, an action of its kind, regexes that compile, a profile that
    /// exists) before storing it.
    package func createToolPolicy(_ draft: ToolPolicyDraft) async throws -> ToolPolicyResource {
        var draft = draft
        draft.toolName = draft.toolName.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = draft.problem { throw AdminAPIError.rejected(problem) }
        if let reason = draft.reason, reason.count > 1000 { throw AdminAPIError.rejected("a policy's reason is at most 1000 characters") }
        if let profileID = draft.profileID, try await self.storeCall({ try await self.store.profile(id: profileID) }) == nil {
            throw AdminAPIError.rejected("`profile_id` names \(profileID.uuidString.lowercased()), which is not a profile or LLM proxy")
        }
        return ToolPolicyResource(try await self.storeChange { try await self.store.createToolPolicy(draft) })
    }

    /// `kind` `nil`: whichever kind the id has (the CLI's `delete ID`).
    package func deleteToolPolicy(id: UUID, kind: ToolPolicyKind?) async throws {
        let name = kind.map(Self.resourceName) ?? "tool policy"
        guard let policy = try await self.storeCall({ try await self.store.toolPolicy(id: id) }), kind == nil || policy.kind == kind else {
            throw AdminAPIError.notFound(name)
        }
        guard try await self.storeChange({ try await self.store.deleteToolPolicy(id: id) }) else {
            throw AdminAPIError.notFound(name)
        }
    }

    static func resourceName(_ kind: ToolPolicyKind) -> String {
        kind == .toolInvocation ? "tool-invocation policy" : "trusted-data policy"
    }
}
