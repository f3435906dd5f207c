package import Foundation
import PostgresNIO
package import WireFormats

extension PostgresGatewayStore {
    package func createVirtualKey(_ draft: VirtualKeyDraft) async throws -> (key: VirtualKey, value: Secret) {
        let value = VirtualKeyValue.generate()
        let key = VirtualKey(
            id: UUID(), name: draft.name, tokenStart: value.tokenStart, providerKeyIDs: draft.providerKeyIDs,
            expiresAt: draft.expiresAt.map(StoredTime.normalized), revokedAt: nil, lastUsedAt: nil, createdAt: StoredTime.normalized(Date())
        )
        let sealed = try self.secretBox.seal(value.secret.exposedValue, context: GatewayStoreRules.virtualKeySealContext(key.id))
        let created = try await self.write { db in
            try await Self.validateProviderKeyMapping(key.providerKeyIDs, db)
            try await db.execute(
                """
                INSERT INTO virtual_keys (id, name, token_start, value_sealed, expires_at, revoked_at, last_used_at, created_at)
                VALUES (\(StoredID.text(key.id)), \(key.name), \(key.tokenStart), \(sealed), \(key.expiresAt.map(StoredTime.milliseconds)),
                    NULL, NULL, \(StoredTime.milliseconds(key.createdAt)))
                """
            )
            try await Self.replaceMapping(table: .virtualKeyProviderKeys, ownerID: key.id, targetIDs: key.providerKeyIDs, db)
            try await Self.bumpRevision(db)
            return key
        }
        return (created, value.secret)
    }

    package func virtualKeys() async throws -> [VirtualKey] {
        try await self.read { db in
            var keys: [VirtualKey] = []
            for row in try await db.rows("SELECT * FROM virtual_keys ORDER BY created_at, rowid") {
                keys.append(try await VirtualKey(row: row, db))
            }
            return keys
        }
    }

    package func virtualKey(id: UUID) async throws -> VirtualKey? {
        try await self.read { db in
            try await Self.fetchVirtualKey(id: id, db)
        }
    }

    package func updateVirtualKey(id: UUID, _ update: VirtualKeyUpdate) async throws -> VirtualKey? {
        try await self.write { db in
            guard var key = try await Self.fetchVirtualKey(id: id, db) else { return nil }
            let before = key
            if let name = update.name { key.name = name }
            if let expiresAt = update.expiresAt { key.expiresAt = expiresAt.map(StoredTime.normalized) }
            if let providerKeyIDs = update.providerKeyIDs { key.providerKeyIDs = providerKeyIDs }
            guard key != before else { return key }
            if key.providerKeyIDs != before.providerKeyIDs {
                try await Self.validateProviderKeyMapping(key.providerKeyIDs, db)
                try await Self.replaceMapping(table: .virtualKeyProviderKeys, ownerID: id, targetIDs: key.providerKeyIDs, db)
            }
            try await db.execute(
                "UPDATE virtual_keys SET name = \(key.name), expires_at = \(key.expiresAt.map(StoredTime.milliseconds)) WHERE id = \(StoredID.text(id))"
            )
            try await Self.bumpRevision(db)
            return key
        }
    }

    package func revokeVirtualKey(id: UUID) async throws -> Bool {
        let now = StoredTime.milliseconds(Date())
        return try await self.write { db in
            guard try await db.exists("SELECT 1 FROM virtual_keys WHERE id = \(StoredID.text(id))") else { return false }
            // Revoking twice keeps the first time and changes nothing.
            if try await db.exists("UPDATE virtual_keys SET revoked_at = \(now) WHERE id = \(StoredID.text(id)) AND revoked_at IS NULL RETURNING 1") {
                try await Self.bumpRevision(db)
            }
            return true
        }
    }

    package func virtualKeyCandidates(tokenStart: String) async throws -> [(key: VirtualKey, value: Secret)] {
        let box = self.secretBox
        let candidates = try await self.read { db in
            var found: [PostgresVirtualKeyCandidate] = []
            for row in try await db.rows("SELECT * FROM virtual_keys WHERE token_start = \(tokenStart)") {
                let key = try await VirtualKey(row: row, db)
                let value = Secret(try box.open(try row.string("value_sealed"), context: GatewayStoreRules.virtualKeySealContext(key.id)))
                found.append(PostgresVirtualKeyCandidate(key: key, value: value))
            }
            return found
        }
        return candidates.map { ($0.key, $0.value) }
    }

    /// Bookkeeping, not an administrative change: the revision stays, so caches are kept.
    package func recordVirtualKeyUse(id: UUID, at date: Date) async throws {
        try await self.write(serialized: false) { db in
            try await db.execute("UPDATE virtual_keys SET last_used_at = \(StoredTime.milliseconds(date)) WHERE id = \(StoredID.text(id))")
        }
    }

    // MARK: Helpers

    static func fetchVirtualKey(id: UUID, _ db: PostgresSession) async throws -> VirtualKey? {
        guard let row = try await db.rows("SELECT * FROM virtual_keys WHERE id = \(StoredID.text(id))").first else { return nil }
        return try await VirtualKey(row: row, db)
    }

    /// Every id names an existing provider key, and no two name the same provider.
    static func validateProviderKeyMapping(_ ids: [UUID], _ db: PostgresSession) async throws {
        var providers: Set<String> = []
        for id in ids {
            guard let row = try await db.rows("SELECT provider FROM provider_keys WHERE id = \(StoredID.text(id))").first else {
                throw GatewayStoreError.invalid("provider key \(StoredID.text(id)) does not exist")
            }
            let provider = try row.string("provider")
            guard providers.insert(provider).inserted else {
                throw GatewayStoreError.invalid("more than one provider key for provider '\(provider)'; map at most one per provider")
            }
        }
    }

    static func replaceMapping(table: GatewayStoreRules.MappingTable, ownerID: UUID, targetIDs: [UUID], _ db: PostgresSession) async throws {
        var delete = PostgresQuery(unsafeSQL: "DELETE FROM \(table.rawValue) WHERE \(table.ownerColumn) = $1")
        delete.binds.append(StoredID.text(ownerID))
        try await db.execute(delete)
        for (position, targetID) in targetIDs.enumerated() {
            var insert = PostgresQuery(
                unsafeSQL:
                    "INSERT INTO \(table.rawValue) (\(table.ownerColumn), \(table.targetColumn), position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            )
            insert.binds.append(StoredID.text(ownerID))
            insert.binds.append(StoredID.text(targetID))
            insert.binds.append(Int32(position))
            try await db.execute(insert)
        }
    }

    static func mapping(table: GatewayStoreRules.MappingTable, ownerID: UUID, _ db: PostgresSession) async throws -> [UUID] {
        var query = PostgresQuery(
            unsafeSQL: "SELECT \(table.targetColumn) AS target FROM \(table.rawValue) WHERE \(table.ownerColumn) = $1 ORDER BY position"
        )
        query.binds.append(StoredID.text(ownerID))
        return try await db.rows(query).map { try $0.id("target") }
    }
}

private struct PostgresVirtualKeyCandidate: Sendable {
    var key: VirtualKey
    var value: Secret
}

extension VirtualKey {
    init(row: StoredRow, _ db: PostgresSession) async throws {
        let id = try row.id("id")
        self.init(
            id: id,
            name: try row.optionalString("name"),
            tokenStart: try row.string("token_start"),
            providerKeyIDs: try await PostgresGatewayStore.mapping(table: .virtualKeyProviderKeys, ownerID: id, db),
            expiresAt: try row.optionalDate("expires_at"),
            revokedAt: try row.optionalDate("revoked_at"),
            lastUsedAt: try row.optionalDate("last_used_at"),
            createdAt: try row.date("created_at")
        )
    }
}
