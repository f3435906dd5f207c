import Foundation
import GRDB

extension SQLiteGatewayStore {
    /// Replaces the list of `list.source`. Not an admin change: the revision stays, so a sync
    /// never invalidates the credential caches.
    package func saveModelList(_ list: ModelList) async throws {
        let models = String(decoding: try JSONEncoder().encode(list.models), as: UTF8.self)
        let syncedAt = StoredTime.milliseconds(StoredTime.normalized(list.syncedAt))
        try await self.write { db in
            try db.execute(
                sql: """
                    INSERT INTO model_lists (source, provider, models, synced_at, error) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (source) DO UPDATE SET provider = excluded.provider, models = excluded.models,
                        synced_at = excluded.synced_at, error = excluded.error
                    """,
                arguments: [list.source.storedValue, list.provider, models, syncedAt, list.error]
            )
        }
    }

    package func modelLists() async throws -> [ModelList] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM model_lists ORDER BY provider, source").compactMap { row -> ModelList? in
                guard let source = ModelList.Source(storedValue: row["source"]) else { return nil }
                let text: String = row["models"]
                let models = try JSONDecoder().decode([ListedModel].self, from: Data(text.utf8))
                return ModelList(
                    source: source, provider: row["provider"], models: models,
                    syncedAt: StoredTime.date(row["synced_at"] as Int64), error: row["error"])
            }
        }
    }
}
