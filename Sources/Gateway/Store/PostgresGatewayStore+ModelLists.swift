import Foundation
import PostgresNIO

extension PostgresGatewayStore {
    /// Replaces the list of `list.source`. Not an admin change: the revision stays.
    package func saveModelList(_ list: ModelList) async throws {
        let models = String(decoding: try JSONEncoder().encode(list.models), as: UTF8.self)
        let syncedAt = StoredTime.milliseconds(StoredTime.normalized(list.syncedAt))
        try await self.write(serialized: false) { db in
            try await db.execute(
                """
                INSERT INTO model_lists (source, provider, models, synced_at, error)
                VALUES (\(list.source.storedValue), \(list.provider), \(models), \(syncedAt), \(list.error))
                ON CONFLICT (source) DO UPDATE SET provider = excluded.provider, models = excluded.models,
                    synced_at = excluded.synced_at, error = excluded.error
                """
            )
        }
    }

    package func modelLists() async throws -> [ModelList] {
        try await self.read { db in
            try await db.rows("SELECT * FROM model_lists ORDER BY provider, source").compactMap { row -> ModelList? in
                guard let source = ModelList.Source(storedValue: try row.string("source")) else { return nil }
                let models = try JSONDecoder().decode([ListedModel].self, from: Data(try row.string("models").utf8))
                return ModelList(
                    source: source, provider: try row.string("provider"), models: models,
                    syncedAt: try row.date("synced_at"), error: try row.optionalString("error"))
            }
        }
    }
}
