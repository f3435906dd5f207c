import Foundation
import GRDB
import PostgresNIO

/// What each engine's schema holds, table by table, for the test that keeps the two engines'
/// migrations in agreement. Bookkeeping tables (`grdb_migrations`, `archestra_migrations`,
/// SQLite's own) are left out.
package struct StoreCatalog: Sendable, Equatable, CustomStringConvertible {
    /// Column names by table name.
    package var tables: [String: Set<String>]
    /// The newest migration number the build knows.
    package var supportedVersion: Int

    package var description: String {
        let tables = self.tables.keys.sorted().map { "\($0)(\(self.tables[$0]!.sorted().joined(separator: ", ")))" }
        return "version \(self.supportedVersion): " + tables.joined(separator: "; ")
    }
}

extension SQLiteGatewayStore {
    package func catalog() async throws -> StoreCatalog {
        let tables = try await self.read { db in
            var tables: [String: Set<String>] = [:]
            let names = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            for name in names {
                tables[name] = Set(try db.columns(in: name).map(\.name))
            }
            return tables
        }
        return StoreCatalog(tables: tables, supportedVersion: SQLiteSchema.supportedVersion)
    }
}

extension PostgresGatewayStore {
    /// Tables of the schema the store works in (`current_schema()`).
    package func catalog() async throws -> StoreCatalog {
        let tables = try await self.read { db in
            var tables: [String: Set<String>] = [:]
            let rows = try await db.rows(
                """
                SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name <> \(PostgresSchema.migrationsTable)
                """
            )
            for row in rows {
                tables[try row.string("table_name"), default: []].insert(try row.string("column_name"))
            }
            return tables
        }
        return StoreCatalog(tables: tables, supportedVersion: PostgresSchema.supportedVersion)
    }
}

extension PostgresGatewayStore {
    /// Whether this process's connections are encrypted (`pg_stat_ssl` of one of them): what
    /// `sslmode` achieved, for diagnostics and the TLS test.
    package func connectionIsEncrypted() async throws -> Bool {
        try await self.read { db in
            try await db.rows("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.bool("ssl") ?? false
        }
    }

    /// Marks `identifier` applied without running anything: how a newer archestra's migration
    /// looks to this build (the test that such a database is refused).
    package func recordForeignMigration(_ identifier: String) async throws {
        try await self.write(serialized: false) { db in
            try await db.execute("INSERT INTO archestra_migrations (identifier, applied_at) VALUES (\(identifier), 0)")
        }
    }
}
