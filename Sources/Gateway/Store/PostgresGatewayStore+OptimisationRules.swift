package import Foundation
import PostgresNIO

extension PostgresGatewayStore {
    package func createOptimisationRule(_ draft: OptimisationRuleDraft) async throws -> OptimisationRule {
        if let problem = draft.problem { throw GatewayStoreError.invalid(problem) }
        let rule = OptimisationRule(
            id: UUID(), provider: draft.provider, targetModel: draft.targetModel, conditions: draft.conditions, enabled: draft.enabled,
            createdAt: StoredTime.normalized(Date()))
        return try await self.write { db in
            try await db.execute(
                """
                INSERT INTO optimisation_rules (id, provider, target_model, max_prompt_tokens, has_tools, enabled, created_at)
                VALUES (\(StoredID.text(rule.id)), \(rule.provider), \(rule.targetModel), \(rule.conditions.maxPromptTokens.map(Int64.init)),
                    \(rule.conditions.hasTools), \(rule.enabled), \(StoredTime.milliseconds(rule.createdAt)))
                """
            )
            try await Self.bumpRevision(db)
            return rule
        }
    }

    package func optimisationRules() async throws -> [OptimisationRule] {
        try await self.read { db in
            try await db.rows("SELECT * FROM optimisation_rules ORDER BY created_at, rowid").map(OptimisationRule.init(row:))
        }
    }

    package func optimisationRule(id: UUID) async throws -> OptimisationRule? {
        try await self.read { db in
            try await db.rows("SELECT * FROM optimisation_rules WHERE id = \(StoredID.text(id))").first.map(OptimisationRule.init(row:))
        }
    }

    package func setOptimisationRuleEnabled(id: UUID, enabled: Bool) async throws -> OptimisationRule? {
        try await self.write { db in
            guard let row = try await db.rows("UPDATE optimisation_rules SET enabled = \(enabled) WHERE id = \(StoredID.text(id)) RETURNING *").first
            else { return nil }
            try await Self.bumpRevision(db)
            return try OptimisationRule(row: row)
        }
    }

    package func deleteOptimisationRule(id: UUID) async throws -> Bool {
        try await self.write { db in
            guard try await db.exists("DELETE FROM optimisation_rules WHERE id = \(StoredID.text(id)) RETURNING 1") else { return false }
            try await Self.bumpRevision(db)
            return true
        }
    }
}

extension OptimisationRule {
    init(row: StoredRow) throws {
        self.init(
            id: try row.id("id"),
            provider: try row.string("provider"),
            targetModel: try row.string("target_model"),
            conditions: OptimisationConditions(
                maxPromptTokens: try row.optionalInt64("max_prompt_tokens").map { Int($0) }, hasTools: try row.value("has_tools", as: Bool?.self)),
            enabled: try row.bool("enabled"),
            createdAt: try row.date("created_at")
        )
    }
}
