package import Foundation
import GRDB
package import WireFormats

extension SQLiteGatewayStore {
    package func createOAuthClient(_ draft: OAuthClientDraft) async throws -> (client: OAuthClient, secret: Secret) {
        let secret = OAuthClientSecret.generate()
        let secretHash = await BcryptHasher.hash(secret.exposedValue, cost: GatewayStoreRules.bcryptCost)
        let client = OAuthClient(
            id: UUID(), clientID: OAuthClientIdentifier.generate(), name: draft.name, allowedProfileIDs: draft.allowedProfileIDs,
            providerKeyIDs: draft.providerKeyIDs, revokedAt: nil, createdAt: StoredTime.normalized(Date())
        )
        return try await self.write { db in
            try Self.validateProfiles(client.allowedProfileIDs, db)
            try Self.validateProviderKeyMapping(client.providerKeyIDs, db)
            try db.execute(
                sql: "INSERT INTO oauth_clients (id, client_id, name, secret_hash, revoked_at, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
                arguments: [StoredID.text(client.id), client.clientID, client.name, secretHash, StoredTime.milliseconds(client.createdAt)]
            )
            try Self.replaceMapping(table: .oauthClientProfiles, ownerID: client.id, targetIDs: client.allowedProfileIDs, db)
            try Self.replaceMapping(table: .oauthClientProviderKeys, ownerID: client.id, targetIDs: client.providerKeyIDs, db)
            try SQLiteSchema.bumpRevision(db)
            return (client, secret)
        }
    }

    package func oauthClients() async throws -> [OAuthClient] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM oauth_clients ORDER BY created_at, rowid").map { try OAuthClient(row: $0, db) }
        }
    }

    package func oauthClient(id: UUID) async throws -> OAuthClient? {
        try await self.read { db in
            try Self.fetchOAuthClient(id: id, db)
        }
    }

    package func updateOAuthClient(id: UUID, _ update: OAuthClientUpdate) async throws -> OAuthClient? {
        try await self.write { db in
            guard var client = try Self.fetchOAuthClient(id: id, db) else { return nil }
            let before = client
            if let name = update.name { client.name = name }
            if let profiles = update.allowedProfileIDs { client.allowedProfileIDs = profiles }
            if let providerKeys = update.providerKeyIDs { client.providerKeyIDs = providerKeys }
            guard client != before else { return client }
            if client.allowedProfileIDs != before.allowedProfileIDs {
                try Self.validateProfiles(client.allowedProfileIDs, db)
                try Self.replaceMapping(table: .oauthClientProfiles, ownerID: id, targetIDs: client.allowedProfileIDs, db)
            }
            if client.providerKeyIDs != before.providerKeyIDs {
                try Self.validateProviderKeyMapping(client.providerKeyIDs, db)
                try Self.replaceMapping(table: .oauthClientProviderKeys, ownerID: id, targetIDs: client.providerKeyIDs, db)
            }
            try db.execute(sql: "UPDATE oauth_clients SET name = ? WHERE id = ?", arguments: [client.name, StoredID.text(id)])
            try SQLiteSchema.bumpRevision(db)
            return client
        }
    }

    package func revokeOAuthClient(id: UUID) async throws -> Bool {
        let now = StoredTime.milliseconds(Date())
        return try await self.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM oauth_clients WHERE id = ?)", arguments: [StoredID.text(id)]) == true else {
                return false
            }
            try db.execute(sql: "UPDATE oauth_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, StoredID.text(id)])
            let revokedNow = db.changesCount > 0
            try db.execute(sql: "DELETE FROM oauth_access_tokens WHERE oauth_client_id = ?", arguments: [StoredID.text(id)])
            if revokedNow || db.changesCount > 0 {
                try SQLiteSchema.bumpRevision(db)
            }
            return true
        }
    }

    package func authenticateOAuthClient(clientID: String, secret: Secret) async throws -> OAuthClient? {
        let found: StoredOAuthClient? =
            if OAuthClientIdentifier.isWellFormed(clientID) {
                try await self.read { db in
                    try Row.fetchOne(db, sql: "SELECT * FROM oauth_clients WHERE client_id = ?", arguments: [clientID]).map { row in
                        StoredOAuthClient(client: try OAuthClient(row: row, db), secretHash: row["secret_hash"])
                    }
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
        try await self.write { db in
            guard try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM oauth_clients WHERE id = ? AND revoked_at IS NULL)", arguments: [StoredID.text(token.clientID)]
            ) == true else {
                throw GatewayStoreError.invalid("OAuth client \(StoredID.text(token.clientID)) does not exist or is revoked")
            }
            try db.execute(
                sql: "INSERT INTO oauth_access_tokens (token_hash, oauth_client_id, scope, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    token.tokenHash, StoredID.text(token.clientID), token.scope, StoredTime.milliseconds(token.expiresAt),
                    StoredTime.milliseconds(token.createdAt),
                ]
            )
        }
    }

    package func accessToken(hash: String) async throws -> OAuthAccessToken? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM oauth_access_tokens WHERE token_hash = ?", arguments: [hash]).map { row in
                OAuthAccessToken(
                    tokenHash: row["token_hash"],
                    clientID: try StoredID.uuid(row["oauth_client_id"]),
                    scope: row["scope"],
                    expiresAt: StoredTime.date(row["expires_at"] as Int64),
                    createdAt: StoredTime.date(row["created_at"] as Int64)
                )
            }
        }
    }

    @discardableResult
    package func deleteAccessTokens(expiredBefore date: Date) async throws -> Int {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM oauth_access_tokens WHERE expires_at < ?", arguments: [StoredTime.milliseconds(date)])
            return db.changesCount
        }
    }

    // MARK: Helpers

    static func fetchOAuthClient(id: UUID, _ db: Database) throws -> OAuthClient? {
        try Row.fetchOne(db, sql: "SELECT * FROM oauth_clients WHERE id = ?", arguments: [StoredID.text(id)]).map { try OAuthClient(row: $0, db) }
    }

    static func validateProfiles(_ ids: [UUID], _ db: Database) throws {
        for id in ids {
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM profiles WHERE id = ?)", arguments: [StoredID.text(id)]) == true else {
                throw GatewayStoreError.invalid("profile \(StoredID.text(id)) does not exist")
            }
        }
    }
}

private struct StoredOAuthClient: Sendable {
    var client: OAuthClient
    var secretHash: String
}

extension OAuthClient {
    init(row: Row, _ db: Database) throws {
        let id = try StoredID.uuid(row["id"])
        self.init(
            id: id,
            clientID: row["client_id"],
            name: row["name"],
            allowedProfileIDs: try SQLiteGatewayStore.mapping(table: .oauthClientProfiles, ownerID: id, db),
            providerKeyIDs: try SQLiteGatewayStore.mapping(table: .oauthClientProviderKeys, ownerID: id, db),
            revokedAt: StoredTime.date(row["revoked_at"] as Int64?),
            createdAt: StoredTime.date(row["created_at"] as Int64)
        )
    }
}
