package import Foundation

/// A virtual key (Archestra's `virtual_api_keys`): a credential of ours, `arch_` + 64 hex, that a
/// client uses as its SDK's API key. The proxy swaps it for the provider key it maps to on the
/// route's provider; it never reaches an upstream.
///
/// The value is shown once, when the key is created. The store keeps it encrypted (as Archestra
/// does) and looks it up by ``tokenStart`` and then a constant-time comparison.
package struct VirtualKey: Sendable, Hashable {
    package var id: UUID
    package var name: String?
    /// The first 14 characters of the value (`arch_` + 9 hex): the lookup index, safe to show.
    package var tokenStart: String
    /// At most one per provider.
    package var providerKeyIDs: [UUID]
    package var expiresAt: Date?
    package var revokedAt: Date?
    package var lastUsedAt: Date?
    package var createdAt: Date

    package init(
        id: UUID, name: String?, tokenStart: String, providerKeyIDs: [UUID], expiresAt: Date?, revokedAt: Date?, lastUsedAt: Date?,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.tokenStart = tokenStart
        self.providerKeyIDs = providerKeyIDs
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
    }

    package func isUsable(at now: Date) -> Bool {
        self.revokedAt == nil && (self.expiresAt.map { $0 > now } ?? true)
    }
}

package struct VirtualKeyDraft: Sendable, Hashable {
    package var name: String?
    package var providerKeyIDs: [UUID]
    package var expiresAt: Date?

    package init(name: String? = nil, providerKeyIDs: [UUID], expiresAt: Date? = nil) {
        self.name = name
        self.providerKeyIDs = providerKeyIDs
        self.expiresAt = expiresAt
    }
}

package struct VirtualKeyUpdate: Sendable, Hashable {
    package var name: String?
    /// `.some(nil)` removes the expiry.
    package var expiresAt: Date??
    package var providerKeyIDs: [UUID]?

    package init(name: String? = nil, expiresAt: Date?? = nil, providerKeyIDs: [UUID]? = nil) {
        self.name = name
        self.expiresAt = expiresAt
        self.providerKeyIDs = providerKeyIDs
    }
}
