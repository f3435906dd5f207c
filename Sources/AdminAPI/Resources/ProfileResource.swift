package import Foundation
package import Gateway

/// A profile or LLM proxy as the admin API and the CLI print it.
package struct ProfileResource: Codable, Sendable, Equatable {
    package var id: UUID
    package var name: String
    package var kind: String
    package var isDefault: Bool
    package var considerContextUntrusted: Bool
    package var createdAt: Date

    package init(_ profile: Profile) {
        self.id = profile.id
        self.name = profile.name
        self.kind = profile.kind.rawValue
        self.isDefault = profile.isDefault
        self.considerContextUntrusted = profile.considerContextUntrusted
        self.createdAt = profile.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind
        case isDefault = "is_default"
        case considerContextUntrusted = "consider_context_untrusted"
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.id, forKey: .id)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.kind, forKey: .kind)
        try container.encode(self.isDefault, forKey: .isDefault)
        try container.encode(self.considerContextUntrusted, forKey: .considerContextUntrusted)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}
