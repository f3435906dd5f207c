package import Foundation
import GRDB

extension SQLiteGatewayStore {
    package func defaultProfile() async throws -> Profile {
        try await self.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM profiles WHERE is_default = 1") else {
                throw GatewayStoreError.engine("the database has no default profile")
            }
            return try Profile(row: row)
        }
    }

    package func createProfile(_ draft: ProfileDraft) async throws -> Profile {
        let profile = Profile(
            id: draft.id ?? UUID(), name: draft.name, kind: draft.kind, isDefault: false,
            considerContextUntrusted: draft.considerContextUntrusted, createdAt: StoredTime.normalized(Date())
        )
        try GatewayStoreRules.validateName(profile.name)
        return try await self.write { db in
            try db.execute(
                sql: "INSERT INTO profiles (id, name, kind, is_default, consider_context_untrusted, created_at) VALUES (?, ?, ?, 0, ?, ?)",
                arguments: [
                    StoredID.text(profile.id), profile.name, profile.kind.rawValue, profile.considerContextUntrusted,
                    StoredTime.milliseconds(profile.createdAt),
                ]
            )
            try SQLiteSchema.bumpRevision(db)
            return profile
        }
    }

    package func profiles(kind: ProfileKind?) async throws -> [Profile] {
        try await self.read { db in
            let rows: [Row]
            if let kind {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM profiles WHERE kind = ? ORDER BY created_at, rowid", arguments: [kind.rawValue])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM profiles ORDER BY created_at, rowid")
            }
            return try rows.map(Profile.init(row:))
        }
    }

    package func profile(id: UUID) async throws -> Profile? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM profiles WHERE id = ?", arguments: [StoredID.text(id)]).map(Profile.init(row:))
        }
    }

    package func updateProfile(id: UUID, _ update: ProfileUpdate) async throws -> Profile? {
        if let name = update.name { try GatewayStoreRules.validateName(name) }
        return try await self.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM profiles WHERE id = ?", arguments: [StoredID.text(id)]) else {
                return nil
            }
            var profile = try Profile(row: row)
            let before = profile
            if let name = update.name { profile.name = name }
            if let untrusted = update.considerContextUntrusted { profile.considerContextUntrusted = untrusted }
            guard profile != before else { return profile }
            try db.execute(
                sql: "UPDATE profiles SET name = ?, consider_context_untrusted = ? WHERE id = ?",
                arguments: [profile.name, profile.considerContextUntrusted, StoredID.text(id)]
            )
            try SQLiteSchema.bumpRevision(db)
            return profile
        }
    }

    package func deleteProfile(id: UUID) async throws -> Bool {
        try await self.write { db in
            guard let isDefault = try Bool.fetchOne(db, sql: "SELECT is_default FROM profiles WHERE id = ?", arguments: [StoredID.text(id)]) else {
                return false
            }
            if isDefault {
                throw GatewayStoreError.conflict("the default profile cannot be deleted")
            }
            // OAuth clients' allow-lists lose this profile through ON DELETE CASCADE.
            try db.execute(sql: "DELETE FROM profiles WHERE id = ?", arguments: [StoredID.text(id)])
            try SQLiteSchema.bumpRevision(db)
            return true
        }
    }

}

extension Profile {
    init(row: Row) throws {
        let kindText: String = row["kind"]
        guard let kind = ProfileKind(rawValue: kindText) else {
            throw GatewayStoreError.engine("the database holds a profile of an unknown kind")
        }
        self.init(
            id: try StoredID.uuid(row["id"]),
            name: row["name"],
            kind: kind,
            isDefault: row["is_default"],
            considerContextUntrusted: row["consider_context_untrusted"],
            createdAt: StoredTime.date(row["created_at"] as Int64)
        )
    }
}
