import Foundation
import Gateway

/// The admin API's cost routes are tested against SQLite (`CostAdminTests`); this store holds
/// no prices nor limits and refuses to create them.
extension InMemoryGatewayStore {
    private static let unsupported = GatewayStoreError.engine("the in-memory test store keeps no prices or limits")

    func modelPrices() async throws -> [ModelPriceOverride] { [] }
    func setModelPrice(_ override: ModelPriceOverride) async throws { throw Self.unsupported }
    func deleteModelPrice(model: String) async throws -> Bool { false }
    func createSpendLimit(_ draft: SpendLimitDraft) async throws -> SpendLimit { throw Self.unsupported }
    func spendLimits() async throws -> [SpendLimit] { [] }
    func deleteSpendLimit(id: UUID) async throws -> Bool { false }
    func addLimitSpend(_ deltas: [LimitSpend], oldestBucket: Int64) async throws -> [LimitSpend] { [] }
}
