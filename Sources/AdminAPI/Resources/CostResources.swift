package import Foundation
package import Gateway

/// A spending limit as the admin API and the CLI print it, with what its window has spent.
/// Amounts are decimal strings, exact (`"0.005"`).
package struct LimitResource: Codable, Sendable, Equatable {
    package var id: UUID
    package var entityType: String
    package var entityID: UUID?
    package var usd: String
    package var window: String
    package var models: [String]
    package var usageUSD: String
    package var remainingUSD: String
    package var createdAt: Date

    package init(_ limit: SpendLimit, spent: Decimal) {
        self.id = limit.id
        switch limit.entity {
        case .virtualKey(let id): (self.entityType, self.entityID) = ("virtual_key", id)
        case .profile(let id): (self.entityType, self.entityID) = ("profile", id)
        case .organization: (self.entityType, self.entityID) = ("organization", nil)
        }
        self.usd = limit.usd.description
        self.window = limit.window.rawValue
        self.models = limit.models
        self.usageUSD = spent.description
        self.remainingUSD = max(0, limit.usd - spent).description
        self.createdAt = limit.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, usd, window, models
        case entityType = "entity_type"
        case entityID = "entity_id"
        case usageUSD = "usage_usd"
        case remainingUSD = "remaining_usd"
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.id, forKey: .id)
        try container.encode(self.entityType, forKey: .entityType)
        if let entityID { try container.encodeID(entityID, forKey: .entityID) } else { try container.encodeNil(forKey: .entityID) }
        try container.encode(self.usd, forKey: .usd)
        try container.encode(self.window, forKey: .window)
        try container.encode(self.models, forKey: .models)
        try container.encode(self.usageUSD, forKey: .usageUSD)
        try container.encode(self.remainingUSD, forKey: .remainingUSD)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}

/// A model's price (USD per million tokens, decimal strings) and where it comes from:
/// `override` (set through the admin API) or `built_in`.
package struct ModelPriceResource: Codable, Sendable, Equatable {
    package var model: String
    package var input: String
    package var output: String
    package var cacheRead: String
    package var cacheWrite: String
    package var source: String
    package var updatedAt: Date?

    package init(model: String, price: ModelPrice, source: PriceTable.Source, updatedAt: Date?) {
        self.model = model
        self.input = price.input.description
        self.output = price.output.description
        self.cacheRead = price.cacheRead.description
        self.cacheWrite = price.cacheWrite.description
        self.source = source.rawValue
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case model, input, output, source
        case cacheRead = "cache_read"
        case cacheWrite = "cache_write"
        case updatedAt = "updated_at"
    }
}
