package import Foundation
import GRDB

extension SQLiteGatewayStore {
    // MARK: Model prices

    package func modelPrices() async throws -> [ModelPriceOverride] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM model_prices ORDER BY model").map { row in
                ModelPriceOverride(
                    model: row["model"],
                    price: ModelPrice(
                        input: try StoredDecimal.amount(row["input"]), output: try StoredDecimal.amount(row["output"]),
                        cacheRead: try StoredDecimal.amount(row["cache_read"]), cacheWrite: try StoredDecimal.amount(row["cache_write"])),
                    updatedAt: StoredTime.date(row["updated_at"] as Int64))
            }
        }
    }

    package func setModelPrice(_ override: ModelPriceOverride) async throws {
        guard !override.model.isEmpty, override.price.isValid else {
            throw GatewayStoreError.invalid("a model price needs a model id and prices of at least zero")
        }
        let price = override.price
        let updatedAt = StoredTime.milliseconds(override.updatedAt)
        try await self.write { db in
            try db.execute(
                sql: """
                    INSERT INTO model_prices (model, input, output, cache_read, cache_write, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (model) DO UPDATE SET input = excluded.input, output = excluded.output,
                        cache_read = excluded.cache_read, cache_write = excluded.cache_write, updated_at = excluded.updated_at
                    """,
                arguments: [override.model, StoredDecimal.text(price.input), StoredDecimal.text(price.output), StoredDecimal.text(price.cacheRead), StoredDecimal.text(price.cacheWrite), updatedAt])
            try SQLiteSchema.bumpRevision(db)
        }
    }

    package func deleteModelPrice(model: String) async throws -> Bool {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM model_prices WHERE model = ?", arguments: [model])
            guard db.changesCount > 0 else { return false }
            try SQLiteSchema.bumpRevision(db)
            return true
        }
    }

    // MARK: Spending limits

    package func createSpendLimit(_ draft: SpendLimitDraft) async throws -> SpendLimit {
        guard !draft.usd.isNaN, draft.usd >= 0 else { throw GatewayStoreError.invalid("a limit's amount must be at least zero") }
        let limit = SpendLimit(
            id: UUID(), entity: draft.entity, usd: draft.usd, window: draft.window, models: draft.models, createdAt: StoredTime.normalized(Date()))
        let models = String(decoding: try JSONEncoder().encode(limit.models), as: UTF8.self)
        return try await self.write { db in
            switch limit.entity {
            case .virtualKey(let id):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM virtual_keys WHERE id = ?", arguments: [StoredID.text(id)]) != nil else {
                    throw GatewayStoreError.invalid("no virtual key has id \(StoredID.text(id))")
                }
            case .profile(let id):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM profiles WHERE id = ?", arguments: [StoredID.text(id)]) != nil else {
                    throw GatewayStoreError.invalid("no profile or LLM proxy has id \(StoredID.text(id))")
                }
            case .organization: break
            }
            try db.execute(
                sql: "INSERT INTO spend_limits (id, entity_type, entity_id, usd, window, models, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    StoredID.text(limit.id), Self.entityType(limit.entity), limit.entity.id.map(StoredID.text), StoredDecimal.text(limit.usd),
                    limit.window.rawValue, models, StoredTime.milliseconds(limit.createdAt),
                ])
            try SQLiteSchema.bumpRevision(db)
            return limit
        }
    }

    package func spendLimits() async throws -> [SpendLimit] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM spend_limits ORDER BY created_at, rowid").map { row in
                let entity: SpendLimit.Entity
                switch row["entity_type"] as String {
                case "virtual_key": entity = .virtualKey(try StoredID.uuid(row["entity_id"]))
                case "profile": entity = .profile(try StoredID.uuid(row["entity_id"]))
                default: entity = .organization
                }
                guard let window = LimitWindow(rawValue: row["window"]) else {
                    throw GatewayStoreError.engine("the database holds a limit with an unknown window")
                }
                let models = try JSONDecoder().decode([String].self, from: Data((row["models"] as String).utf8))
                return SpendLimit(
                    id: try StoredID.uuid(row["id"]), entity: entity, usd: try StoredDecimal.amount(row["usd"]), window: window, models: models,
                    createdAt: StoredTime.date(row["created_at"] as Int64))
            }
        }
    }

    package func deleteSpendLimit(id: UUID) async throws -> Bool {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM spend_limits WHERE id = ?", arguments: [StoredID.text(id)])
            guard db.changesCount > 0 else { return false }
            try SQLiteSchema.bumpRevision(db)
            return true
        }
    }

    package func addLimitSpend(_ deltas: [LimitSpend], oldestBucket: Int64) async throws -> [LimitSpend] {
        try await self.write { db in
            for delta in deltas where delta.nanoUSD != 0 {
                // A limit deleted meanwhile has no row to refer to: its spend is dropped.
                try db.execute(
                    sql: """
                        INSERT INTO spend_limit_usage (limit_id, bucket, nano_usd)
                        SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM spend_limits WHERE id = ?)
                        ON CONFLICT (limit_id, bucket) DO UPDATE SET nano_usd = nano_usd + excluded.nano_usd
                        """,
                    arguments: [StoredID.text(delta.limitID), delta.bucket, delta.nanoUSD, StoredID.text(delta.limitID)])
            }
            try db.execute(sql: "DELETE FROM spend_limit_usage WHERE bucket < ?", arguments: [oldestBucket])
            return try Row.fetchAll(db, sql: "SELECT limit_id, bucket, nano_usd FROM spend_limit_usage").map { row in
                LimitSpend(limitID: try StoredID.uuid(row["limit_id"]), bucket: row["bucket"], nanoUSD: row["nano_usd"])
            }
        }
    }

    private static func entityType(_ entity: SpendLimit.Entity) -> String {
        switch entity {
        case .virtualKey: return "virtual_key"
        case .profile: return "profile"
        case .organization: return "organization"
        }
    }
}
