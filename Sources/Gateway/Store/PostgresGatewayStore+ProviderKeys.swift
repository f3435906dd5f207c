package import Foundation
import PostgresNIO
package import WireFormats

extension PostgresGatewayStore {
    package func createProviderKey(_ draft: ProviderKeyDraft) async throws -> ProviderKey {
        try GatewayStoreRules.validateProvider(draft.provider)
        try GatewayStoreRules.validateBaseURL(draft.baseURL)
        let id = UUID()
        let sealed = try self.secretBox.seal(draft.secret.exposedValue, context: GatewayStoreRules.providerKeySealContext(id))
        let headers = try GatewayStoreRules.encodeHeaders(draft.extraHeaders)
        let createdAt = StoredTime.normalized(Date())
        return try await self.write { db in
            let hasPrimary = try await db.exists("SELECT 1 FROM provider_keys WHERE provider = \(draft.provider) AND is_primary")
            let isPrimary = draft.isPrimary ?? !hasPrimary
            if isPrimary {
                try await Self.demotePrimary(provider: draft.provider, db)
            }
            try await db.execute(
                """
                INSERT INTO provider_keys (id, provider, name, secret_sealed, base_url, extra_headers, is_primary, created_at)
                VALUES (\(StoredID.text(id)), \(draft.provider), \(draft.name), \(sealed), \(draft.baseURL), \(headers), \(isPrimary),
                    \(StoredTime.milliseconds(createdAt)))
                """
            )
            try await Self.bumpRevision(db)
            return ProviderKey(
                id: id, provider: draft.provider, name: draft.name, secret: draft.secret, baseURL: draft.baseURL,
                extraHeaders: draft.extraHeaders, isPrimary: isPrimary, createdAt: createdAt
            )
        }
    }

    package func providerKeys() async throws -> [ProviderKey] {
        let box = self.secretBox
        return try await self.read { db in
            try await db.rows("SELECT * FROM provider_keys ORDER BY created_at, rowid").map { try ProviderKey(row: $0, box: box) }
        }
    }

    package func providerKey(id: UUID) async throws -> ProviderKey? {
        let box = self.secretBox
        return try await self.read { db in
            try await Self.fetchProviderKey(id: id, box: box, db)
        }
    }

    package func updateProviderKey(id: UUID, _ update: ProviderKeyUpdate) async throws -> ProviderKey? {
        if let baseURL = update.baseURL { try GatewayStoreRules.validateBaseURL(baseURL) }
        let box = self.secretBox
        let sealed = try update.secret.map { try box.seal($0.exposedValue, context: GatewayStoreRules.providerKeySealContext(id)) }
        let headers = try update.extraHeaders.map(GatewayStoreRules.encodeHeaders)
        return try await self.write { db in
            guard var key = try await Self.fetchProviderKey(id: id, box: box, db) else { return nil }
            let before = key
            if let name = update.name { key.name = name }
            if let secret = update.secret { key.secret = secret }
            if let baseURL = update.baseURL { key.baseURL = baseURL }
            if let extraHeaders = update.extraHeaders { key.extraHeaders = extraHeaders }
            if let isPrimary = update.isPrimary { key.isPrimary = isPrimary }
            guard key != before else { return key }
            if key.isPrimary && !before.isPrimary {
                try await Self.demotePrimary(provider: key.provider, db)
            }
            try await db.execute(
                "UPDATE provider_keys SET name = \(key.name), base_url = \(key.baseURL), is_primary = \(key.isPrimary) WHERE id = \(StoredID.text(id))"
            )
            if let sealed {
                try await db.execute("UPDATE provider_keys SET secret_sealed = \(sealed) WHERE id = \(StoredID.text(id))")
            }
            if let headers {
                try await db.execute("UPDATE provider_keys SET extra_headers = \(headers) WHERE id = \(StoredID.text(id))")
            }
            try await Self.bumpRevision(db)
            return key
        }
    }

    package func deleteProviderKey(id: UUID) async throws -> Bool {
        try await self.write { db in
            // Virtual keys and OAuth clients lose the mapping through ON DELETE CASCADE.
            guard try await db.exists("DELETE FROM provider_keys WHERE id = \(StoredID.text(id)) RETURNING 1") else { return false }
            try await db.execute("DELETE FROM model_lists WHERE source = \(StoredID.text(id))")
            try await Self.bumpRevision(db)
            return true
        }
    }

    @discardableResult
    package func seedPrimaryProviderKey(provider: String, secret: Secret) async throws -> ProviderKey {
        try GatewayStoreRules.validateProvider(provider)
        let box = self.secretBox
        let newID = UUID()
        let createdAt = StoredTime.normalized(Date())
        let sealedForNew = try box.seal(secret.exposedValue, context: GatewayStoreRules.providerKeySealContext(newID))
        return try await self.write { db in
            if let row = try await db.rows("SELECT * FROM provider_keys WHERE provider = \(provider) AND is_primary").first {
                var key = try ProviderKey(row: row, box: box)
                // Unchanged: no write, no revision bump, so restarts do not flush every cache.
                guard key.secret != secret else { return key }
                key.secret = secret
                let sealed = try box.seal(secret.exposedValue, context: GatewayStoreRules.providerKeySealContext(key.id))
                try await db.execute("UPDATE provider_keys SET secret_sealed = \(sealed) WHERE id = \(StoredID.text(key.id))")
                try await Self.bumpRevision(db)
                return key
            }
            try await db.execute(
                """
                INSERT INTO provider_keys (id, provider, name, secret_sealed, base_url, extra_headers, is_primary, created_at)
                VALUES (\(StoredID.text(newID)), \(provider), NULL, \(sealedForNew), NULL, '{}', TRUE, \(StoredTime.milliseconds(createdAt)))
                """
            )
            try await Self.bumpRevision(db)
            return ProviderKey(
                id: newID, provider: provider, name: nil, secret: secret, baseURL: nil, extraHeaders: [:], isPrimary: true, createdAt: createdAt
            )
        }
    }

    // MARK: Helpers

    static func fetchProviderKey(id: UUID, box: SecretBox, _ db: PostgresSession) async throws -> ProviderKey? {
        try await db.rows("SELECT * FROM provider_keys WHERE id = \(StoredID.text(id))").first.map { try ProviderKey(row: $0, box: box) }
    }

    private static func demotePrimary(provider: String, _ db: PostgresSession) async throws {
        try await db.execute("UPDATE provider_keys SET is_primary = FALSE WHERE provider = \(provider) AND is_primary")
    }
}

extension ProviderKey {
    init(row: StoredRow, box: SecretBox) throws {
        let id = try row.id("id")
        let headers: [String: String]
        do {
            headers = try JSONDecoder().decode([String: String].self, from: Data(try row.string("extra_headers").utf8))
        } catch {
            throw GatewayStoreError.engine("the database holds malformed extra headers for a provider key")
        }
        self.init(
            id: id,
            provider: try row.string("provider"),
            name: try row.optionalString("name"),
            secret: Secret(try box.open(try row.string("secret_sealed"), context: GatewayStoreRules.providerKeySealContext(id))),
            baseURL: try row.optionalString("base_url"),
            extraHeaders: headers,
            isPrimary: try row.bool("is_primary"),
            createdAt: try row.date("created_at")
        )
    }
}
