package import Foundation
package import Gateway
package import WireFormats

/// A virtual key as the admin API and the CLI list it: its lookup prefix, never its value.
package struct VirtualKeyResource: Codable, Sendable, Equatable {
    package var id: UUID
    package var name: String?
    package var tokenStart: String
    package var providerKeyIDs: [UUID]
    package var expiresAt: Date?
    package var revokedAt: Date?
    package var lastUsedAt: Date?
    package var createdAt: Date

    package init(_ key: VirtualKey) {
        self.id = key.id
        self.name = key.name
        self.tokenStart = key.tokenStart
        self.providerKeyIDs = key.providerKeyIDs
        self.expiresAt = key.expiresAt
        self.revokedAt = key.revokedAt
        self.lastUsedAt = key.lastUsedAt
        self.createdAt = key.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case tokenStart = "token_start"
        case providerKeyIDs = "provider_key_ids"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.id, forKey: .id)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.tokenStart, forKey: .tokenStart)
        try container.encodeIDs(self.providerKeyIDs, forKey: .providerKeyIDs)
        try container.encode(self.expiresAt, forKey: .expiresAt)
        try container.encode(self.revokedAt, forKey: .revokedAt)
        try container.encode(self.lastUsedAt, forKey: .lastUsedAt)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}

/// The answer to creating a virtual key: the resource plus `value`, the only time it is shown.
package struct CreatedVirtualKeyResource: Encodable, Sendable {
    package var key: VirtualKeyResource
    package var value: Secret

    package init(key: VirtualKey, value: Secret) {
        self.key = VirtualKeyResource(key)
        self.value = value
    }

    private enum ValueKey: String, CodingKey { case value }

    package func encode(to encoder: any Encoder) throws {
        try self.key.encode(to: encoder)
        var container = encoder.container(keyedBy: ValueKey.self)
        // The one place a virtual key's value is written: the creation answer.
        try container.encode(self.value.exposedValue, forKey: .value)
    }
}
