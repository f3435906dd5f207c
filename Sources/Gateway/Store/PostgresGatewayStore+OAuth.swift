package import Foundation
import PostgresNIO
package import WireFormats

extension PostgresGatewayStore {
    package func createOAuthClient(_ draft: OAuthClientDraft) async throws -> (client: OAuthClient, secret: Secret) {
        let secret = OAuthClientSecret.generate()
        let secretHash = await BcryptHasher.hash(secret.exposedValue, cost: GatewayStoreRules.bcryptCost)
        let client = OAuthClient(
            id: UUID(), clientID: OAuthClientIdentifier.generate(), name: draft.name, allowedProfileIDs: draft.allowedProfileIDs,
            providerKeyIDs: draft.providerKeyIDs, revokedAt: nil, createdAt: StoredTime.normalized(Date())
        )
        let created = try await self.write { db in
            try await Self.validateProfiles(client.allowedProfileIDs, db)
            try await Self.validateProviderKeyMapping(client.providerKeyIDs, db)
            try await db.execute(
                """
                INSERT INTO oauth_clients (id, client_id, name, secret_hash, revoked_at, created_at)
                VALUES (\(StoredID.text(client.id)), \(client.clientID), \(client.name), \(secretHash), NULL, \(StoredTime.milliseconds(client.createdAt)))
                """
            )
            try await Self.replaceMapping(table: .oauthClientProfiles, ownerID: client.id, targetIDs: client.allowedProfileIDs, db)
            try await Self.replaceMapping(table: .oauthClientProviderKeys, ownerID: client.id, targetIDs: client.providerKeyIDs, db)
            try await Self.bumpRevision(db)
            return client
        }
        return (created, secret)
    }

    package func oauthClients() async throws -> [OAuthClient] {
        try await self.read { db in
            var clients: [OAuthClient] = []
            for row in try await db.rows("SELECT * FROM oauth_clients ORDER BY created_at, rowid") {
                clients.append(try await OAuthClient(row: row, db))
            }
            return clients
        }
    }

    package func oauthClient(id: UUID) async throws -> OAuthClient? {
        try await self.read { db in
            try await Self.fetchOAuthClient(id: id, db)
        }
    }

    package func updateOAuthClient(id: UUID, _ update: OAuthClientUpdate) async throws -> OAuthClient? {
        try await self.write { db in
            guard var client = try await Self.fetchOAuthClient(id: id, db) else { return nil }
            let before = client
            if let name = update.name { client.name = name }
            if let profiles = update.allowedProfileIDs { client.allowedProfileIDs = profiles }
            if let providerKeys = update.providerKeyIDs { client.providerKeyIDs = providerKeys }
            guard client != before else { return client }
            if client.allowedProfileIDs != before.allowedProfileIDs {
                try await Self.validateProfiles(client.allowedProfileIDs, db)
                try await Self.replaceMapping(table: .oauthClientProfiles, ownerID: id, targetIDs: client.allowedProfileIDs, db)
            }
            if client.providerKeyIDs != before.providerKeyIDs {
                try await Self.validateProviderKeyMapping(client.providerKeyIDs, db)
                try await Self.replaceMapping(table: .oauthClientProviderKeys, ownerID: id, targetIDs: client.providerKeyIDs, db)
            }
            try await db.execute("UPDATE oauth_clients SET name = \(client.name) WHERE id = \(StoredID.text(id))")
            try await Self.bumpRevision(db)
            return client
        }
    }

    package func revokeOAuthClient(id: UUID) async throws -> Bool {
        let now = StoredTime.milliseconds(Date())
        return try await self.write { db in
            guard try await db.exists("SELECT 1 FROM oauth_clients WHERE id = \(StoredID.text(id))") else { return false }
            let revokedNow = try await db.exists(
                "UPDATE oauth_clients SET revoked_at = \(now) WHERE id = \(StoredID.text(id)) AND revoked_at IS NULL RETURNING 1"
            )
            let deletedTokens = try await db.exists("DELETE FROM oauth_access_tokens WHERE oauth_client_id = \(StoredID.text(id)) RETURNING 1")
            if revokedNow || deletedTokens {
                try await Self.bumpRevision(db)
            }
            return true
        }
    }

    package func authenticateOAuthClient(clientID: String, secret: Secret) async throws -> OAuthClient? {
        let found: PostgresStoredOAuthClient? =
            if OAuthClientIdentifier.isWellFormed(clientID) {
                try await self.read { db in
                    guard let row = try await db.rows("SELECT * FROM oauth_clients WHERE client_id = \(clientID)").first else { return nil }
                    return PostgresStoredOAuthClient(client: try await OAuthClient(row: row, db), secretHash: try row.string("secret_hash"))
                }
            } else {
                nil
            }
        guard let found else {
            // Same work as for a known client, so response time does not reveal which ids exist.
            _ = await BcryptHasher.verify(secret.exposedValue, hash: BcryptHasher.decoyHash)
            return nil
        }
        let matches = await BcryptHasher.verify(secret.exposedValue, hash: found.secretHash)
        guard matches, found.client.revokedAt == nil else { return nil }
        return found.client
    }

    /// Bookkeeping, not an administrative change: the revision stays.
    package func saveAccessToken(_ token: OAuthAccessToken) async throws {
        try await self.write(serialized: false) { db in
            // FOR SHARE: a revocation committing meanwhile waits for this insert, then deletes it.
            guard try await db.exists(
                "SELECT 1 FROM oauth_clients WHERE id = \(StoredID.text(token.clientID)) AND revoked_at IS NULL FOR SHARE"
            ) else {
                throw GatewayStoreError.invalid("OAuth client \(StoredID.text(token.clientID)) does not exist or is revoked")
            }
            try await db.execute(
                """
                INSERT INTO oauth_access_tokens (token_hash, oauth_client_id, scope, expires_at, created_at)
                VALUES (\(token.tokenHash), \(StoredID.text(token.clientID)), \(token.scope), \(StoredTime.milliseconds(token.expiresAt)),
                    \(StoredTime.milliseconds(token.createdAt)))
                """
            )
        }
    }

    package func accessToken(hash: String) async throws -> OAuthAccessToken? {
        try await self.read { db in
            try await db.rows("SELECT * FROM oauth_access_tokens WHERE token_hash = \(hash)").first.map { row in
                OAuthAccessToken(
                    tokenHash: try row.string("token_hash"),
                    clientID: try row.id("oauth_client_id"),
                    scope: try row.string("scope"),
                    expiresAt: try row.date("expires_at"),
                    createdAt: try row.date("created_at")
                )
            }
        }
    }

    @discardableResult
    package func deleteAccessTokens(expiredBefore date: Date) async throws -> Int {
        try await self.write(serialized: false) { db in
            try await db.count("DELETE FROM oauth_access_tokens WHERE expires_at < \(StoredTime.milliseconds(date)) RETURNING 1")
        }
    }

    // MARK: Helpers

    static func fetchOAuthClient(id: UUID, _ db: PostgresSession) async throws -> OAuthClient? {
        guard let row = try await db.rows("SELECT * FROM oauth_clients WHERE id = \(StoredID.text(id))").first else { return nil }
        return try await OAuthClient(row: row, db)
    }

    static func validateProfiles(_ ids: [UUID], _ db: PostgresSession) async throws {
        for id in ids {
            guard try await db.exists("SELECT 1 FROM profiles WHERE id = \(StoredID.text(id))") else {
                throw GatewayStoreError.invalid("profile \(StoredID.text(id)) does not exist")
            }
        }
    }
}

private struct PostgresStoredOAuthClient: Sendable {
    var client: OAuthClient
    var secretHash: String
}

extension OAuthClient {
    init(row: StoredRow, _ db: PostgresSession) async throws {
        let id = try row.id("id")
        self.init(
            id: id,
            clientID: try row.string("client_id"),
            name: try row.optionalString("name"),
            allowedProfileIDs: try await PostgresGatewayStore.mapping(table: .oauthClientProfiles, ownerID: id, db),
            providerKeyIDs: try await PostgresGatewayStore.mapping(table: .oauthClientProviderKeys, ownerID: id, db),
            revokedAt: try row.optionalDate("revoked_at"),
            createdAt: try row.date("created_at")
        )
    }
}
