import Foundation
import Gateway

/// The cost section, forwarded uncounted (the directory's hot path never reads it); the ledger's
/// reads and writes can be held at a gate.
extension CountingStore {
    func modelPrices() async throws -> [ModelPriceOverride] { try await self.base.modelPrices() }
    func setModelPrice(_ override: ModelPriceOverride) async throws { try await self.base.setModelPrice(override) }
    func deleteModelPrice(model: String) async throws -> Bool { try await self.base.deleteModelPrice(model: model) }
    func createSpendLimit(_ draft: SpendLimitDraft) async throws -> SpendLimit { try await self.base.createSpendLimit(draft) }
    func spendLimits() async throws -> [SpendLimit] {
        await self.passGate("spendLimits")
        return try await self.base.spendLimits()
    }
    func deleteSpendLimit(id: UUID) async throws -> Bool { try await self.base.deleteSpendLimit(id: id) }
    func addLimitSpend(_ deltas: [LimitSpend], oldestBucket: Int64) async throws -> [LimitSpend] {
        await self.passGate("addLimitSpend")
        return try await self.base.addLimitSpend(deltas, oldestBucket: oldestBucket)
    }
}
