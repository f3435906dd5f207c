package import Foundation
import PostgresNIO

extension PostgresGatewayStore {
    // MARK: Model prices

    package func modelPrices() async throws -> [ModelPriceOverride] {
        try await self.read { db in
            try await db.rows("SELECT * FROM model_prices ORDER BY model").map { row in
                ModelPriceOverride(
                    model: try row.string("model"),
                    price: ModelPrice(
                        input: try Self.decimal(row, "input"), output: try Self.decimal(row, "output"),
                        cacheRead: try Self.decimal(row, "cache_read"), cacheWrite: try Self.decimal(row, "cache_write")),
                    updatedAt: try row.date("updated_at"))
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
            try await db.execute(
                """
                INSERT INTO model_prices (model, input, output, cache_read, cache_write, updated_at)
                VALUES (\(override.model), \(StoredDecimal.text(price.input)), \(StoredDecimal.text(price.output)),
                    \(StoredDecimal.text(price.cacheRead)), \(StoredDecimal.text(price.cacheWrite)), \(updatedAt))
                ON CONFLICT (model) DO UPDATE SET input = excluded.input, output = excluded.output,
                    cache_read = excluded.cache_read, cache_write = excluded.cache_write, updated_at = excluded.updated_at
                """
            )
            try await Self.bumpRevision(db)
        }
    }

    package func deleteModelPrice(model: String) async throws -> Bool {
        try await self.write { db in
            guard try await db.exists("DELETE FROM model_prices WHERE model = \(model) RETURNING 1") else { return false }
            try await Self.bumpRevision(db)
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
                guard try await db.exists("SELECT 1 FROM virtual_keys WHERE id = \(StoredID.text(id))") else {
                    throw GatewayStoreError.invalid("no virtual key has id \(StoredID.text(id))")
                }
            case .profile(let id):
                guard try await db.exists("SELECT 1 FROM profiles WHERE id = \(StoredID.text(id))") else {
                    throw GatewayStoreError.invalid("no profile or LLM proxy has id \(StoredID.text(id))")
                }
            case .organization: break
            }
            try await db.execute(
                """
                INSERT INTO spend_limits (id, entity_type, entity_id, usd, "window", models, created_at)
                VALUES (\(StoredID.text(limit.id)), \(Self.entityType(limit.entity)), \(limit.entity.id.map(StoredID.text)),
                    \(StoredDecimal.text(limit.usd)), \(limit.window.rawValue), \(models), \(StoredTime.milliseconds(limit.createdAt)))
                """
            )
            try await Self.bumpRevision(db)
            return limit
        }
    }

    package func spendLimits() async throws -> [SpendLimit] {
        try await self.read { db in
            try await db.rows("SELECT * FROM spend_limits ORDER BY created_at, rowid").map { row in
                let entity: SpendLimit.Entity
                switch try row.string("entity_type") {
                case "virtual_key": entity = .virtualKey(try row.id("entity_id"))
                case "profile": entity = .profile(try row.id("entity_id"))
                default: entity = .organization
                }
                guard let window = LimitWindow(rawValue: try row.string("window")) else {
                    throw GatewayStoreError.engine("the database holds a limit with an unknown window")
                }
                let models = try JSONDecoder().decode([String].self, from: Data(try row.string("models").utf8))
                return SpendLimit(
                    id: try row.id("id"), entity: entity, usd: try Self.decimal(row, "usd"), window: window, models: models,
                    createdAt: try row.date("created_at"))
            }
        }
    }

    package func deleteSpendLimit(id: UUID) async throws -> Bool {
        try await self.write { db in
            guard try await db.exists("DELETE FROM spend_limits WHERE id = \(StoredID.text(id)) RETURNING 1") else { return false }
            try await Self.bumpRevision(db)
            return true
        }
    }

    /// Each delta is one atomic upsert (`nano_usd = nano_usd + delta` under the row's lock), so
    /// replicas adding to one bucket at once never lose an addition.
    package func addLimitSpend(_ deltas: [LimitSpend], oldestBucket: Int64) async throws -> [LimitSpend] {
        try await self.write(serialized: false) { db in
            // Same order in every replica, so two batches touching the same buckets cannot deadlock.
            let ordered = deltas.filter { $0.nanoUSD != 0 }.sorted { (StoredID.text($0.limitID), $0.bucket) < (StoredID.text($1.limitID), $1.bucket) }
            for delta in ordered {
                // A limit deleted meanwhile has no row to refer to: its spend is dropped.
                try await db.execute(
                    """
                    INSERT INTO spend_limit_usage (limit_id, bucket, nano_usd)
                    SELECT \(StoredID.text(delta.limitID)), \(delta.bucket), \(delta.nanoUSD)
                    WHERE EXISTS (SELECT 1 FROM spend_limits WHERE id = \(StoredID.text(delta.limitID)))
                    ON CONFLICT (limit_id, bucket) DO UPDATE SET nano_usd = spend_limit_usage.nano_usd + excluded.nano_usd
                    """
                )
            }
            try await db.execute("DELETE FROM spend_limit_usage WHERE bucket < \(oldestBucket)")
            return try await db.rows("SELECT limit_id, bucket, nano_usd FROM spend_limit_usage").map { row in
                LimitSpend(limitID: try row.id("limit_id"), bucket: try row.int64("bucket"), nanoUSD: try row.int64("nano_usd"))
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

    private static func decimal(_ row: StoredRow, _ column: String) throws -> Decimal {
        try StoredDecimal.amount(try row.string(column))
    }
}
