package import Foundation
package import Gateway

extension GatewayAdministration {
    // MARK: Model optimisation rules

    /// Every rule, enabled or not, oldest first: the order they are tried in.
    package func optimisationRules() async throws -> [OptimisationRuleResource] {
        try await self.storeCall { try await self.store.optimisationRules() }.map(OptimisationRuleResource.init)
    }

    package func optimisationRule(id: UUID) async throws -> OptimisationRuleResource {
        guard let rule = try await self.storeCall({ try await self.store.optimisationRule(id: id) }) else {
            throw AdminAPIError.notFound(Self.optimisationRuleName)
        }
        return OptimisationRuleResource(rule)
    }

    /// Checks the provider is one this proxy serves and the draft's target and conditions.
    package func createOptimisationRule(_ draft: OptimisationRuleDraft) async throws -> OptimisationRuleResource {
        var draft = draft
        draft.provider = try AdminInputRules.provider(draft.provider, known: self.providerIDs)
        draft.targetModel = draft.targetModel.trimmingCharacters(in: .whitespaces)
        if let problem = draft.problem { throw AdminAPIError.rejected(problem) }
        return OptimisationRuleResource(try await self.storeChange { try await self.store.createOptimisationRule(draft) })
    }

    package func setOptimisationRuleEnabled(id: UUID, enabled: Bool) async throws -> OptimisationRuleResource {
        guard let rule = try await self.storeChange({ try await self.store.setOptimisationRuleEnabled(id: id, enabled: enabled) }) else {
            throw AdminAPIError.notFound(Self.optimisationRuleName)
        }
        return OptimisationRuleResource(rule)
    }

    package func deleteOptimisationRule(id: UUID) async throws {
        guard try await self.storeChange({ try await self.store.deleteOptimisationRule(id: id) }) else {
            throw AdminAPIError.notFound(Self.optimisationRuleName)
        }
    }

    static let optimisationRuleName = "optimisation rule"
}
