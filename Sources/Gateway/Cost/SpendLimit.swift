package import Foundation

/// A cap on what requests may cost, in US dollars, over a window (GATEWAY.md §5's `token_cost`
/// limit): per virtual key, per profile or LLM proxy, or for the whole organisation (every
/// request this gateway serves), optionally counting only some models.
package struct SpendLimit: Sendable, Hashable {
    package enum Entity: Sendable, Hashable {
        case virtualKey(UUID)
        case profile(UUID)
        case organization

        /// GATEWAY.md's `entity_type`, as the 402 body names it.
        package var typeName: String {
            switch self {
            case .virtualKey: return "virtual_key"
            case .profile: return "agent"
            case .organization: return "organization"
            }
        }

        package var id: UUID? {
            switch self {
            case .virtualKey(let id), .profile(let id): return id
            case .organization: return nil
            }
        }
    }

    package var id: UUID
    package var entity: Entity
    /// Any precision: a limit below one cent is valid.
    package var usd: Decimal
    package var window: LimitWindow
    /// Only requests for these models count and are refused; empty means every model.
    package var models: [String]
    package var createdAt: Date

    package init(id: UUID, entity: Entity, usd: Decimal, window: LimitWindow, models: [String], createdAt: Date) {
        self.id = id
        self.entity = entity
        self.usd = usd
        self.window = window
        self.models = models
        self.createdAt = createdAt
    }

    /// Whether a request by this caller, on this profile, for this model, counts toward the limit.
    /// `models` compare with the model as the client named it and without a provider qualifier
    /// (`openai/gpt-4o` counts for a limit on `gpt-4o`).
    package func applies(virtualKeyID: UUID?, profileID: UUID?, model: String?) -> Bool {
        switch self.entity {
        case .virtualKey(let id): guard virtualKeyID == id else { return false }
        case .profile(let id): guard profileID == id else { return false }
        case .organization: break
        }
        guard !self.models.isEmpty else { return true }
        guard let model else { return false }
        let unqualified = model.split(separator: "/", maxSplits: 1).last.map(String.init) ?? model
        return self.models.contains(model) || self.models.contains(unqualified)
    }
}

package struct SpendLimitDraft: Sendable, Hashable {
    package var entity: SpendLimit.Entity
    package var usd: Decimal
    package var window: LimitWindow
    package var models: [String]

    package init(entity: SpendLimit.Entity, usd: Decimal, window: LimitWindow = .calendarMonth, models: [String] = []) {
        self.entity = entity
        self.usd = usd
        self.window = window
        self.models = models
    }
}

/// Spend added to one limit's bucket (``LimitWindow/bucketStart(containing:)``), in billionths
/// of a dollar: integers add exactly in SQL, and a nano-dollar is far below any price's step.
package struct LimitSpend: Sendable, Hashable {
    package var limitID: UUID
    package var bucket: Int64
    package var nanoUSD: Int64

    package init(limitID: UUID, bucket: Int64, nanoUSD: Int64) {
        self.limitID = limitID
        self.bucket = bucket
        self.nanoUSD = nanoUSD
    }
}

/// Dollars ↔ nano-dollars.
package enum NanoUSD {
    private static let perDollar = Decimal(1_000_000_000)

    /// Rounded to the nearest nano-dollar; negative or invalid amounts count as zero.
    package static func from(_ usd: Decimal) -> Int64 {
        guard !usd.isNaN, usd > 0 else { return 0 }
        var scaled = usd * perDollar
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return Int64(truncating: rounded as NSDecimalNumber)
    }

    package static func usd(_ nano: Int64) -> Decimal {
        Decimal(nano) / perDollar
    }
}
