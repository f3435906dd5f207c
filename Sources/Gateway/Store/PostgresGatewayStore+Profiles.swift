package import Foundation
import PostgresNIO

extension PostgresGatewayStore {
    package func defaultProfile() async throws -> Profile {
        try await self.read { db in
            guard let row = try await db.rows("SELECT * FROM profiles WHERE is_default").first else {
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
            try await db.execute(
                """
                INSERT INTO profiles (id, name, kind, is_default, consider_context_untrusted, created_at)
                VALUES (\(StoredID.text(profile.id)), \(profile.name), \(profile.kind.rawValue), FALSE, \(profile.considerContextUntrusted),
                    \(StoredTime.milliseconds(profile.createdAt)))
                """
            )
            try await Self.bumpRevision(db)
            return profile
        }
    }

    package func profiles(kind: ProfileKind?) async throws -> [Profile] {
        try await self.read { db in
            let rows: [StoredRow]
            if let kind {
                rows = try await db.rows("SELECT * FROM profiles WHERE kind = \(kind.rawValue) ORDER BY created_at, rowid")
            } else {
                rows = try await db.rows("SELECT * FROM profiles ORDER BY created_at, rowid")
            }
            return try rows.map(Profile.init(row:))
        }
    }

    package func profile(id: UUID) async throws -> Profile? {
        try await self.read { db in
            try await db.rows("SELECT * FROM profiles WHERE id = \(StoredID.text(id))").first.map(Profile.init(row:))
        }
    }

    package func updateProfile(id: UUID, _ update: ProfileUpdate) async throws -> Profile? {
        if let name = update.name { try GatewayStoreRules.validateName(name) }
        return try await self.write { db in
            guard let row = try await db.rows("SELECT * FROM profiles WHERE id = \(StoredID.text(id))").first else {
                return nil
            }
            var profile = try Profile(row: row)
            let before = profile
            if let name = update.name { profile.name = name }
            if let untrusted = update.considerContextUntrusted { profile.considerContextUntrusted = untrusted }
            guard profile != before else { return profile }
            try await db.execute(
                "UPDATE profiles SET name = \(profile.name), consider_context_untrusted = \(profile.considerContextUntrusted) WHERE id = \(StoredID.text(id))"
            )
            try await Self.bumpRevision(db)
            return profile
        }
    }

    package func deleteProfile(id: UUID) async throws -> Bool {
        try await self.write { db in
            guard let row = try await db.rows("SELECT is_default FROM profiles WHERE id = \(StoredID.text(id))").first else {
                return false
            }
            if try row.bool("is_default") {
                throw GatewayStoreError.conflict("the default profile cannot be deleted")
            }
            // OAuth clients' allow-lists lose this profile through ON DELETE CASCADE.
            try await db.execute("DELETE FROM profiles WHERE id = \(StoredID.text(id))")
            try await Self.bumpRevision(db)
            return true
        }
    }
}

extension Profile {
    init(row: StoredRow) throws {
        guard let kind = ProfileKind(rawValue: try row.string("kind")) else {
            throw GatewayStoreError.engine("the database holds a profile of an unknown kind")
        }
        self.init(
            id: try row.id("id"),
            name: try row.string("name"),
            kind: kind,
            isDefault: try row.bool("is_default"),
            considerContextUntrusted: try row.bool("consider_context_untrusted"),
            createdAt: try row.date("created_at")
        )
    }
}
