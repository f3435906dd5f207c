package import Foundation
import GRDB
package import WireFormats

extension SQLiteGatewayStore {
    package func createVirtualKey(_ draft: VirtualKeyDraft) async throws -> (key: VirtualKey, value: Secret) {
        let box = self.secretBox
        let value = VirtualKeyValue.generate()
        let key = VirtualKey(
            id: UUID(), name: draft.name, tokenStart: value.tokenStart, providerKeyIDs: draft.providerKeyIDs,
            expiresAt: draft.expiresAt.map(StoredTime.normalized), revokedAt: nil, lastUsedAt: nil, createdAt: StoredTime.normalized(Date())
        )
        let sealed = try box.seal(value.secret.exposedValue, context: GatewayStoreRules.virtualKeySealContext(key.id))
        return try await self.write { db in
            try Self.validateProviderKeyMapping(key.providerKeyIDs, db)
            try db.execute(
                sql: """
                    INSERT INTO virtual_keys (id, name, token_start, value_sealed, expires_at, revoked_at, last_used_at, created_at)
                    VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)
                    """,
                arguments: [
                    StoredID.text(key.id), key.name, key.tokenStart, sealed, key.expiresAt.map(StoredTime.milliseconds),
                    StoredTime.milliseconds(key.createdAt),
                ]
            )
            try Self.replaceMapping(table: .virtualKeyProviderKeys, ownerID: key.id, targetIDs: key.providerKeyIDs, db)
            try SQLiteSchema.bumpRevision(db)
            return (key, value.secret)
        }
    }

    package func virtualKeys() async throws -> [VirtualKey] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM virtual_keys ORDER BY created_at, rowid").map { try VirtualKey(row: $0, db) }
        }
    }

    package func virtualKey(id: UUID) async throws -> VirtualKey? {
        try await self.read { db in
            try Self.fetchVirtualKey(id: id, db)
        }
    }

    package func updateVirtualKey(id: UUID, _ update: VirtualKeyUpdate) async throws -> VirtualKey? {
        try await self.write { db in
            guard var key = try Self.fetchVirtualKey(id: id, db) else { return nil }
            let before = key
            if let name = update.name { key.name = name }
            if let expiresAt = update.expiresAt { key.expiresAt = expiresAt.map(StoredTime.normalized) }
            if let providerKeyIDs = update.providerKeyIDs { key.providerKeyIDs = providerKeyIDs }
            guard key != before else { return key }
            if key.providerKeyIDs != before.providerKeyIDs {
                try Self.validateProviderKeyMapping(key.providerKeyIDs, db)
                try Self.replaceMapping(table: .virtualKeyProviderKeys, ownerID: id, targetIDs: key.providerKeyIDs, db)
            }
            try db.execute(
                sql: "UPDATE virtual_keys SET name = ?, expires_at = ? WHERE id = ?",
                arguments: [key.name, key.expiresAt.map(StoredTime.milliseconds), StoredID.text(id)]
            )
            try SQLiteSchema.bumpRevision(db)
            return key
        }
    }

    package func revokeVirtualKey(id: UUID) async throws -> Bool {
        let now = StoredTime.milliseconds(Date())
        return try await self.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM virtual_keys WHERE id = ?)", arguments: [StoredID.text(id)]) == true else {
                return false
            }
            // Revoking twice keeps the first time and changes nothing.
            try db.execute(sql: "UPDATE virtual_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, StoredID.text(id)])
            if db.changesCount > 0 {
                try SQLiteSchema.bumpRevision(db)
            }
            return true
        }
    }

    package func virtualKeyCandidates(tokenStart: String) async throws -> [(key: VirtualKey, value: Secret)] {
        let box = self.secretBox
        let candidates = try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM virtual_keys WHERE token_start = ?", arguments: [tokenStart]).map { row in
                let key = try VirtualKey(row: row, db)
                return VirtualKeyCandidate(key: key, value: Secret(try box.open(row["value_sealed"], context: GatewayStoreRules.virtualKeySealContext(key.id))))
            }
        }
        return candidates.map { ($0.key, $0.value) }
    }

    /// Bookkeeping, not an administrative change: the revision stays, so caches are kept.
    package func recordVirtualKeyUse(id: UUID, at date: Date) async throws {
        try await self.write { db in
            try db.execute(
                sql: "UPDATE virtual_keys SET last_used_at = ? WHERE id = ?",
                arguments: [StoredTime.milliseconds(date), StoredID.text(id)]
            )
        }
    }

    // MARK: Helpers

    static func fetchVirtualKey(id: UUID, _ db: Database) throws -> VirtualKey? {
        try Row.fetchOne(db, sql: "SELECT * FROM virtual_keys WHERE id = ?", arguments: [StoredID.text(id)]).map { try VirtualKey(row: $0, db) }
    }


    /// Every id names an existing provider key, and no two name the same provider: a credential
    /// maps at most one key per provider, so a route's provider picks exactly one.
    static func validateProviderKeyMapping(_ ids: [UUID], _ db: Database) throws {
        var providers: Set<String> = []
        for id in ids {
            guard let provider = try String.fetchOne(db, sql: "SELECT provider FROM provider_keys WHERE id = ?", arguments: [StoredID.text(id)]) else {
                throw GatewayStoreError.invalid("provider key \(StoredID.text(id)) does not exist")
            }
            guard providers.insert(provider).inserted else {
                throw GatewayStoreError.invalid("more than one provider key for provider '\(provider)'; map at most one per provider")
            }
        }
    }


    static func replaceMapping(table: GatewayStoreRules.MappingTable, ownerID: UUID, targetIDs: [UUID], _ db: Database) throws {
        try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE \(table.ownerColumn) = ?", arguments: [StoredID.text(ownerID)])
        for (position, targetID) in targetIDs.enumerated() {
            try db.execute(
                sql: "INSERT OR IGNORE INTO \(table.rawValue) (\(table.ownerColumn), \(table.targetColumn), position) VALUES (?, ?, ?)",
                arguments: [StoredID.text(ownerID), StoredID.text(targetID), position]
            )
        }
    }

    static func mapping(table: GatewayStoreRules.MappingTable, ownerID: UUID, _ db: Database) throws -> [UUID] {
        try String.fetchAll(
            db,
            sql: "SELECT \(table.targetColumn) FROM \(table.rawValue) WHERE \(table.ownerColumn) = ? ORDER BY position",
            arguments: [StoredID.text(ownerID)]
        ).map { try StoredID.uuid($0) }
    }
}

/// Tuples are not `Sendable`-checked across GRDB's closures; this carries one out of a read.
private struct VirtualKeyCandidate: Sendable {
    var key: VirtualKey
    var value: Secret
}

extension VirtualKey {
    init(row: Row, _ db: Database) throws {
        let id = try StoredID.uuid(row["id"])
        self.init(
            id: id,
            name: row["name"],
            tokenStart: row["token_start"],
            providerKeyIDs: try SQLiteGatewayStore.mapping(table: .virtualKeyProviderKeys, ownerID: id, db),
            expiresAt: StoredTime.date(row["expires_at"] as Int64?),
            revokedAt: StoredTime.date(row["revoked_at"] as Int64?),
            lastUsedAt: StoredTime.date(row["last_used_at"] as Int64?),
            createdAt: StoredTime.date(row["created_at"] as Int64)
        )
    }
}
