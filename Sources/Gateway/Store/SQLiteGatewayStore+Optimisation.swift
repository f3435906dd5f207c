package import Foundation
import GRDB

extension SQLiteGatewayStore {
    package func createOptimisationRule(_ draft: OptimisationRuleDraft) async throws -> OptimisationRule {
        if let problem = draft.problem { throw GatewayStoreError.invalid(problem) }
        let rule = OptimisationRule(
            id: UUID(), provider: draft.provider, targetModel: draft.targetModel, conditions: draft.conditions, enabled: draft.enabled,
            createdAt: StoredTime.normalized(Date()))
        return try await self.write { db in
            try db.execute(
                sql: """
                    INSERT INTO optimisation_rules (id, provider, target_model, max_prompt_tokens, has_tools, enabled, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    StoredID.text(rule.id), rule.provider, rule.targetModel, rule.conditions.maxPromptTokens, rule.conditions.hasTools,
                    rule.enabled, StoredTime.milliseconds(rule.createdAt),
                ])
            try SQLiteSchema.bumpRevision(db)
            return rule
        }
    }

    package func optimisationRules() async throws -> [OptimisationRule] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM optimisation_rules ORDER BY created_at, rowid").map(OptimisationRule.init(row:))
        }
    }

    package func optimisationRule(id: UUID) async throws -> OptimisationRule? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM optimisation_rules WHERE id = ?", arguments: [StoredID.text(id)]).map(OptimisationRule.init(row:))
        }
    }

    package func setOptimisationRuleEnabled(id: UUID, enabled: Bool) async throws -> OptimisationRule? {
        try await self.write { db in
            try db.execute(sql: "UPDATE optimisation_rules SET enabled = ? WHERE id = ?", arguments: [enabled, StoredID.text(id)])
            guard db.changesCount > 0 else { return nil }
            try SQLiteSchema.bumpRevision(db)
            return try Row.fetchOne(db, sql: "SELECT * FROM optimisation_rules WHERE id = ?", arguments: [StoredID.text(id)]).map(OptimisationRule.init(row:))
        }
    }

    package func deleteOptimisationRule(id: UUID) async throws -> Bool {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM optimisation_rules WHERE id = ?", arguments: [StoredID.text(id)])
            guard db.changesCount > 0 else { return false }
            try SQLiteSchema.bumpRevision(db)
            return true
        }
    }
}

extension OptimisationRule {
    init(row: Row) throws {
        self.init(
            id: try StoredID.uuid(row["id"]),
            provider: row["provider"],
            targetModel: row["target_model"],
            conditions: OptimisationConditions(maxPromptTokens: row["max_prompt_tokens"], hasTools: row["has_tools"]),
            enabled: row["enabled"],
            createdAt: StoredTime.date(row["created_at"] as Int64)
        )
    }
}
