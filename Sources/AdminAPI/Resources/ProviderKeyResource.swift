package import Foundation
package import Gateway

/// A provider key as the admin API and the CLI print it: everything but the key, which has no
/// field here at all, so no code path can print it by accident.
package struct ProviderKeyResource: Codable, Sendable, Equatable {
    package var id: UUID
    package var provider: String
    package var name: String?
    package var baseURL: String?
    package var extraHeaders: [String: String]
    package var isPrimary: Bool
    package var createdAt: Date

    package init(_ key: ProviderKey) {
        self.id = key.id
        self.provider = key.provider
        self.name = key.name
        self.baseURL = key.baseURL
        self.extraHeaders = key.extraHeaders
        self.isPrimary = key.isPrimary
        self.createdAt = key.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, provider, name
        case baseURL = "base_url"
        case extraHeaders = "extra_headers"
        case isPrimary = "is_primary"
        case createdAt = "created_at"
    }

    /// `null` fields are written, not left out: the document lists them as required and nullable,
    /// so a client sees the same keys on every object.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.id, forKey: .id)
        try container.encode(self.provider, forKey: .provider)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.baseURL, forKey: .baseURL)
        try container.encode(self.extraHeaders, forKey: .extraHeaders)
        try container.encode(self.isPrimary, forKey: .isPrimary)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}
