package import Foundation

/// An LLM OAuth client (RFC 6749 client credentials): a service exchanges its `client_id` and
/// `client_secret` at `POST /api/auth/oauth2/token` for an opaque `llm_at_…` access token and uses
/// that as its SDK's API key.
///
/// The secret is stored as a bcrypt hash only; it is shown once, at creation.
package struct OAuthClient: Sendable, Hashable {
    package var id: UUID
    /// `llm_oauth_` + 32 hex: public, sent by the client with its secret.
    package var clientID: String
    package var name: String?
    /// Profiles and LLM proxies this client may name in a route; a route naming any other → 403.
    package var allowedProfileIDs: [UUID]
    /// Provider keys the client reaches providers with, at most one per provider; empty means
    /// the primary key of each provider.
    package var providerKeyIDs: [UUID]
    package var revokedAt: Date?
    package var createdAt: Date

    package init(
        id: UUID, clientID: String, name: String?, allowedProfileIDs: [UUID], providerKeyIDs: [UUID], revokedAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.clientID = clientID
        self.name = name
        self.allowedProfileIDs = allowedProfileIDs
        self.providerKeyIDs = providerKeyIDs
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }
}

package struct OAuthClientDraft: Sendable, Hashable {
    package var name: String?
    package var allowedProfileIDs: [UUID]
    package var providerKeyIDs: [UUID]

    package init(name: String? = nil, allowedProfileIDs: [UUID] = [], providerKeyIDs: [UUID] = []) {
        self.name = name
        self.allowedProfileIDs = allowedProfileIDs
        self.providerKeyIDs = providerKeyIDs
    }
}

package struct OAuthClientUpdate: Sendable, Hashable {
    package var name: String?
    package var allowedProfileIDs: [UUID]?
    package var providerKeyIDs: [UUID]?

    package init(name: String? = nil, allowedProfileIDs: [UUID]? = nil, providerKeyIDs: [UUID]? = nil) {
        self.name = name
        self.allowedProfileIDs = allowedProfileIDs
        self.providerKeyIDs = providerKeyIDs
    }
}

/// An issued access token, as stored: its SHA-256 hash, never the token.
package struct OAuthAccessToken: Sendable, Hashable {
    /// base64url(SHA-256(token)).
    package var tokenHash: String
    package var clientID: UUID
    package var scope: String
    package var expiresAt: Date
    package var createdAt: Date

    package init(tokenHash: String, clientID: UUID, scope: String, expiresAt: Date, createdAt: Date) {
        self.tokenHash = tokenHash
        self.clientID = clientID
        self.scope = scope
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}
