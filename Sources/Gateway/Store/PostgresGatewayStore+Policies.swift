package import Foundation
import PostgresNIO
import WireFormats

extension PostgresGatewayStore {
    package func createToolPolicy(_ draft: ToolPolicyDraft) async throws -> ToolPolicy {
        if let problem = draft.problem { throw GatewayStoreError.invalid(problem) }
        let policy = ToolPolicy(
            id: UUID(), kind: draft.kind, profileID: draft.profileID, toolName: draft.toolName, conditions: draft.conditions,
            action: draft.action, reason: draft.reason, createdAt: StoredTime.normalized(Date())
        )
        let conditions = String(decoding: try JSONEncoder().encode(policy.conditions), as: UTF8.self)
        return try await self.write { db in
            if let profileID = policy.profileID, !(try await db.exists("SELECT 1 FROM profiles WHERE id = \(StoredID.text(profileID))")) {
                throw GatewayStoreError.invalid("no profile or LLM proxy has id \(StoredID.text(profileID))")
            }
            try await db.execute(
                """
                INSERT INTO tool_policies (id, kind, profile_id, tool_name, conditions, action, reason, created_at)
                VALUES (\(StoredID.text(policy.id)), \(policy.kind.rawValue), \(policy.profileID.map(StoredID.text)), \(policy.toolName),
                    \(conditions), \(policy.action.rawValue), \(policy.reason), \(StoredTime.milliseconds(policy.createdAt)))
                """
            )
            try await Self.bumpRevision(db)
            return policy
        }
    }

    package func toolPolicies() async throws -> [ToolPolicy] {
        try await self.read { db in
            try await db.rows("SELECT * FROM tool_policies ORDER BY created_at, rowid").map(ToolPolicy.init(row:))
        }
    }

    package func toolPolicy(id: UUID) async throws -> ToolPolicy? {
        try await self.read { db in
            try await db.rows("SELECT * FROM tool_policies WHERE id = \(StoredID.text(id))").first.map(ToolPolicy.init(row:))
        }
    }

    package func deleteToolPolicy(id: UUID) async throws -> Bool {
        try await self.write { db in
            guard try await db.exists("DELETE FROM tool_policies WHERE id = \(StoredID.text(id)) RETURNING 1") else { return false }
            try await Self.bumpRevision(db)
            return true
        }
    }
}

extension ToolPolicy {
    init(row: StoredRow) throws {
        guard let kind = ToolPolicyKind(rawValue: try row.string("kind")), let action = ToolPolicyAction(rawValue: try row.string("action")),
            let conditions = try? JSONDecoder().decode([ToolPolicyCondition].self, from: Data(try row.string("conditions").utf8))
        else {
            throw GatewayStoreError.engine("the database holds a tool policy this build cannot read")
        }
        self.init(
            id: try row.id("id"),
            kind: kind,
            profileID: try row.optionalID("profile_id"),
            toolName: try row.string("tool_name"),
            conditions: conditions,
            action: action,
            reason: try row.optionalString("reason"),
            createdAt: try row.date("created_at")
        )
    }
}
