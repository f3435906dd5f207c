package import Foundation
import GRDB
package import WireFormats

extension SQLiteGatewayStore {
    package func createProviderKey(_ draft: ProviderKeyDraft) async throws -> ProviderKey {
        try GatewayStoreRules.validateProvider(draft.provider)
        try GatewayStoreRules.validateBaseURL(draft.baseURL)
        let box = self.secretBox
        let id = UUID()
        let sealed = try box.seal(draft.secret.exposedValue, context: GatewayStoreRules.providerKeySealContext(id))
        let headers = try GatewayStoreRules.encodeHeaders(draft.extraHeaders)
        let createdAt = StoredTime.normalized(Date())
        return try await self.write { db in
            let hasPrimary = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM provider_keys WHERE provider = ? AND is_primary = 1)", arguments: [draft.provider]
            ) ?? false
            let isPrimary = draft.isPrimary ?? !hasPrimary
            if isPrimary {
                try Self.demotePrimary(provider: draft.provider, db)
            }
            try db.execute(
                sql: """
                    INSERT INTO provider_keys (id, provider, name, secret_sealed, base_url, extra_headers, is_primary, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    StoredID.text(id), draft.provider, draft.name, sealed, draft.baseURL, headers, isPrimary, StoredTime.milliseconds(createdAt),
                ]
            )
            try SQLiteSchema.bumpRevision(db)
            return ProviderKey(
                id: id, provider: draft.provider, name: draft.name, secret: draft.secret, baseURL: draft.baseURL,
                extraHeaders: draft.extraHeaders, isPrimary: isPrimary, createdAt: createdAt
            )
        }
    }

    package func providerKeys() async throws -> [ProviderKey] {
        let box = self.secretBox
        return try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provider_keys ORDER BY created_at, rowid").map { try ProviderKey(row: $0, box: box) }
        }
    }

    package func providerKey(id: UUID) async throws -> ProviderKey? {
        let box = self.secretBox
        return try await self.read { db in
            try Self.fetchProviderKey(id: id, box: box, db)
        }
    }

    package func updateProviderKey(id: UUID, _ update: ProviderKeyUpdate) async throws -> ProviderKey? {
        if let baseURL = update.baseURL { try GatewayStoreRules.validateBaseURL(baseURL) }
        let box = self.secretBox
        let sealed = try update.secret.map { try box.seal($0.exposedValue, context: GatewayStoreRules.providerKeySealContext(id)) }
        let headers = try update.extraHeaders.map(GatewayStoreRules.encodeHeaders)
        return try await self.write { db in
            guard var key = try Self.fetchProviderKey(id: id, box: box, db) else { return nil }
            let before = key
            if let name = update.name { key.name = name }
            if let secret = update.secret { key.secret = secret }
            if let baseURL = update.baseURL { key.baseURL = baseURL }
            if let extraHeaders = update.extraHeaders { key.extraHeaders = extraHeaders }
            if let isPrimary = update.isPrimary { key.isPrimary = isPrimary }
            guard key != before else { return key }
            if key.isPrimary && !before.isPrimary {
                try Self.demotePrimary(provider: key.provider, db)
            }
            try db.execute(
                sql: "UPDATE provider_keys SET name = ?, base_url = ?, is_primary = ? WHERE id = ?",
                arguments: [key.name, key.baseURL, key.isPrimary, StoredID.text(id)]
            )
            if let sealed {
                try db.execute(sql: "UPDATE provider_keys SET secret_sealed = ? WHERE id = ?", arguments: [sealed, StoredID.text(id)])
            }
            if let headers {
                try db.execute(sql: "UPDATE provider_keys SET extra_headers = ? WHERE id = ?", arguments: [headers, StoredID.text(id)])
            }
            try SQLiteSchema.bumpRevision(db)
            return key
        }
    }

    package func deleteProviderKey(id: UUID) async throws -> Bool {
        try await self.write { db in
            // Virtual keys and OAuth clients lose the mapping through ON DELETE CASCADE.
            try db.execute(sql: "DELETE FROM provider_keys WHERE id = ?", arguments: [StoredID.text(id)])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM model_lists WHERE source = ?", arguments: [StoredID.text(id)])
            try SQLiteSchema.bumpRevision(db)
            return true
        }
    }

    @discardableResult
    package func seedPrimaryProviderKey(provider: String, secret: Secret) async throws -> ProviderKey {
        try GatewayStoreRules.validateProvider(provider)
        let box = self.secretBox
        let newID = UUID()
        let createdAt = StoredTime.normalized(Date())
        // Sealed up front for both outcomes: sealing inside the write would hold the lock longer.
        let sealedForNew = try box.seal(secret.exposedValue, context: GatewayStoreRules.providerKeySealContext(newID))
        return try await self.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM provider_keys WHERE provider = ? AND is_primary = 1", arguments: [provider]) {
                var key = try ProviderKey(row: row, box: box)
                // Unchanged: no write, no revision bump, so restarts do not flush every cache.
                guard key.secret != secret else { return key }
                key.secret = secret
                try db.execute(
                    sql: "UPDATE provider_keys SET secret_sealed = ? WHERE id = ?",
                    arguments: [try box.seal(secret.exposedValue, context: GatewayStoreRules.providerKeySealContext(key.id)), StoredID.text(key.id)]
                )
                try SQLiteSchema.bumpRevision(db)
                return key
            }
            try db.execute(
                sql: """
                    INSERT INTO provider_keys (id, provider, name, secret_sealed, base_url, extra_headers, is_primary, created_at)
                    VALUES (?, ?, NULL, ?, NULL, '{}', 1, ?)
                    """,
                arguments: [StoredID.text(newID), provider, sealedForNew, StoredTime.milliseconds(createdAt)]
            )
            try SQLiteSchema.bumpRevision(db)
            return ProviderKey(
                id: newID, provider: provider, name: nil, secret: secret, baseURL: nil, extraHeaders: [:], isPrimary: true, createdAt: createdAt
            )
        }
    }

    // MARK: Helpers

    static func fetchProviderKey(id: UUID, box: SecretBox, _ db: Database) throws -> ProviderKey? {
        try Row.fetchOne(db, sql: "SELECT * FROM provider_keys WHERE id = ?", arguments: [StoredID.text(id)]).map {
            try ProviderKey(row: $0, box: box)
        }
    }

    private static func demotePrimary(provider: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE provider_keys SET is_primary = 0 WHERE provider = ? AND is_primary = 1", arguments: [provider])
    }

}

extension ProviderKey {
    init(row: Row, box: SecretBox) throws {
        let id = try StoredID.uuid(row["id"])
        let headersText: String = row["extra_headers"]
        let headers: [String: String]
        do {
            headers = try JSONDecoder().decode([String: String].self, from: Data(headersText.utf8))
        } catch {
            throw GatewayStoreError.engine("the database holds malformed extra headers for a provider key")
        }
        self.init(
            id: id,
            provider: row["provider"],
            name: row["name"],
            secret: Secret(try box.open(row["secret_sealed"], context: GatewayStoreRules.providerKeySealContext(id))),
            baseURL: row["base_url"],
            extraHeaders: headers,
            isPrimary: row["is_primary"],
            createdAt: StoredTime.date(row["created_at"] as Int64)
        )
    }
}
