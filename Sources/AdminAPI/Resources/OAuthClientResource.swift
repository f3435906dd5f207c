package import Foundation
package import Gateway
package import WireFormats

/// An LLM OAuth client as the admin API and the CLI list it: never its secret (only a hash is
/// stored anyway).
package struct OAuthClientResource: Codable, Sendable, Equatable {
    package var id: UUID
    package var clientID: String
    package var name: String?
    package var allowedProxyIDs: [UUID]
    package var providerKeyIDs: [UUID]
    package var revokedAt: Date?
    package var createdAt: Date

    package init(_ client: OAuthClient) {
        self.id = client.id
        self.clientID = client.clientID
        self.name = client.name
        self.allowedProxyIDs = client.allowedProfileIDs
        self.providerKeyIDs = client.providerKeyIDs
        self.revokedAt = client.revokedAt
        self.createdAt = client.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case clientID = "client_id"
        case allowedProxyIDs = "allowed_proxy_ids"
        case providerKeyIDs = "provider_key_ids"
        case revokedAt = "revoked_at"
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.id, forKey: .id)
        try container.encode(self.clientID, forKey: .clientID)
        try container.encode(self.name, forKey: .name)
        try container.encodeIDs(self.allowedProxyIDs, forKey: .allowedProxyIDs)
        try container.encodeIDs(self.providerKeyIDs, forKey: .providerKeyIDs)
        try container.encode(self.revokedAt, forKey: .revokedAt)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}

/// The answer to creating an OAuth client: the resource plus `client_secret`, shown once.
package struct CreatedOAuthClientResource: Encodable, Sendable {
    package var client: OAuthClientResource
    package var secret: Secret

    package init(client: OAuthClient, secret: Secret) {
        self.client = OAuthClientResource(client)
        self.secret = secret
    }

    private enum SecretKey: String, CodingKey { case clientSecret = "client_secret" }

    package func encode(to encoder: any Encoder) throws {
        try self.client.encode(to: encoder)
        var container = encoder.container(keyedBy: SecretKey.self)
        // The one place a client secret is written: the creation answer.
        try container.encode(self.secret.exposedValue, forKey: .clientSecret)
    }
}
