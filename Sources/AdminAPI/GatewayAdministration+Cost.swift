package import Foundation
package import Gateway

/// Spending limits and model prices (GATEWAY.md §5), for the admin API and `archestra limits`.
extension GatewayAdministration {
    // MARK: Limits

    /// `entity`: `.virtualKey`/`.profile` must name existing ones (400 otherwise).
    package func createLimit(entity: SpendLimit.Entity, usd: String, window: String?, models: [String]?) async throws -> LimitResource {
        let draft = SpendLimitDraft(
            entity: entity, usd: try CostInputRules.usd(usd, field: "usd"), window: try CostInputRules.window(window),
            models: try CostInputRules.models(models))
        let limit = try await self.storeChange { try await self.store.createSpendLimit(draft) }
        return LimitResource(limit, spent: 0)
    }

    /// Every limit with what its current window has spent, as the store last received it (a
    /// serving process saves its spend every second).
    package func limits(now: Date = Date()) async throws -> [LimitResource] {
        let limits = try await self.storeCall { try await self.store.spendLimits() }
        let oldest = LimitWindow.rollingHour.bucketStart(containing: now.addingTimeInterval(-32 * 86_400))
        let buckets = try await self.storeCall { try await self.store.addLimitSpend([], oldestBucket: oldest) }
        return limits.map { limit in
            let nano = buckets.filter { $0.limitID == limit.id && limit.window.counts(bucket: $0.bucket, at: now) }.reduce(Int64(0)) { $0 + $1.nanoUSD }
            return LimitResource(limit, spent: NanoUSD.usd(nano))
        }
    }

    package func deleteLimit(id: UUID) async throws {
        guard try await self.storeChange({ try await self.store.deleteSpendLimit(id: id) }) else {
            throw AdminAPIError.notFound("limit")
        }
    }

    // MARK: Model prices

    /// The built-in table with administrators' prices over it, by model.
    package func modelPrices() async throws -> [ModelPriceResource] {
        let overrides = try await self.storeCall { try await self.store.modelPrices() }
        var resources = Dictionary(
            PriceTable.builtInModels.map { ($0.model, ModelPriceResource(model: $0.model, price: $0.price, source: .builtIn, updatedAt: nil)) },
            uniquingKeysWith: { first, _ in first })
        for override in overrides {
            resources[override.model] = ModelPriceResource(model: override.model, price: override.price, source: .override, updatedAt: override.updatedAt)
        }
        return resources.values.sorted { $0.model < $1.model }
    }

    package func setModelPrice(model: String, input: String, output: String, cacheRead: String?, cacheWrite: String?) async throws -> ModelPriceResource {
        let model = try CostInputRules.model(model)
        let inputPrice = try CostInputRules.usd(input, field: "input")
        let price = ModelPrice(
            input: inputPrice, output: try CostInputRules.usd(output, field: "output"),
            cacheRead: try cacheRead.map { text throws(AdminAPIError) in try CostInputRules.usd(text, field: "cache_read") } ?? inputPrice,
            cacheWrite: try cacheWrite.map { text throws(AdminAPIError) in try CostInputRules.usd(text, field: "cache_write") } ?? inputPrice)
        let override = ModelPriceOverride(model: model, price: price, updatedAt: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000))
        try await self.storeChange { try await self.store.setModelPrice(override) }
        return ModelPriceResource(model: model, price: price, source: .override, updatedAt: override.updatedAt)
    }

    package func deleteModelPrice(model: String) async throws {
        guard try await self.storeChange({ try await self.store.deleteModelPrice(model: model) }) else {
            throw AdminAPIError.notFound("model price")
        }
    }
}
