package import Foundation
import GRDB
import WireFormats

extension SQLiteGatewayStore {
    package func createToolPolicy(_ draft: ToolPolicyDraft) async throws -> ToolPolicy {
        if let problem = draft.problem { throw GatewayStoreError.invalid(problem) }
        let policy = ToolPolicy(
            id: UUID(), kind: draft.kind, profileID: draft.profileID, toolName: draft.toolName, conditions: draft.conditions,
            action: draft.action, reason: draft.reason, createdAt: StoredTime.normalized(Date())
        )
        let conditions = String(decoding: try JSONEncoder().encode(policy.conditions), as: UTF8.self)
        return try await self.write { db in
            if let profileID = policy.profileID,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM profiles WHERE id = ?", arguments: [StoredID.text(profileID)]) == nil
            {
                throw GatewayStoreError.invalid("no profile or LLM proxy has id \(StoredID.text(profileID))")
            }
            try db.execute(
                sql: """
                    INSERT INTO tool_policies (id, kind, profile_id, tool_name, conditions, action, reason, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    StoredID.text(policy.id), policy.kind.rawValue, policy.profileID.map(StoredID.text), policy.toolName, conditions,
                    policy.action.rawValue, policy.reason, StoredTime.milliseconds(policy.createdAt),
                ]
            )
            try SQLiteSchema.bumpRevision(db)
            return policy
        }
    }

    package func toolPolicies() async throws -> [ToolPolicy] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tool_policies ORDER BY created_at, rowid").map(ToolPolicy.init(row:))
        }
    }

    package func toolPolicy(id: UUID) async throws -> ToolPolicy? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tool_policies WHERE id = ?", arguments: [StoredID.text(id)]).map(ToolPolicy.init(row:))
        }
    }

    package func deleteToolPolicy(id: UUID) async throws -> Bool {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM tool_policies WHERE id = ?", arguments: [StoredID.text(id)])
            guard db.changesCount > 0 else { return false }
            try SQLiteSchema.bumpRevision(db)
            return true
        }
    }
}

extension ToolPolicy {
    init(row: Row) throws {
        let kindText: String = row["kind"]
        let actionText: String = row["action"]
        let conditionsText: String = row["conditions"]
        guard let kind = ToolPolicyKind(rawValue: kindText), let action = ToolPolicyAction(rawValue: actionText),
            let conditions = try? JSONDecoder().decode([ToolPolicyCondition].self, from: Data(conditionsText.utf8))
        else {
            throw GatewayStoreError.engine("the database holds a tool policy this build cannot read")
        }
        let profileText: String? = row["profile_id"]
        self.init(
            id: try StoredID.uuid(row["id"]),
            kind: kind,
            profileID: try profileText.map { try StoredID.uuid($0) },
            toolName: row["tool_name"],
            conditions: conditions,
            action: action,
            reason: row["reason"],
            createdAt: StoredTime.date(row["created_at"] as Int64)
        )
    }
}
