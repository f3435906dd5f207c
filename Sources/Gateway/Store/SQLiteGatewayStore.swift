import Foundation
import GRDB
import HummingbirdBcrypt

/// The embedded ``GatewayStore``: one SQLite file through GRDB, or a private in-memory database.
///
/// Files open as a `DatabasePool` (WAL: readers never wait for the writer) with a busy timeout,
/// so that the CLI and a running server can both write the same file; every write takes the
/// write lock at its start (`BEGIN IMMEDIATE`) so that two processes queue on that timeout
/// instead of failing when one upgrades a read lock. Migrations run at open.
package final class SQLiteGatewayStore: GatewayStore {
    package let url: DatabaseURL
    package var isSharedByReplicas: Bool { false }
    let writer: any DatabaseWriter
    let secretBox: SecretBox

    /// How long a write waits for another process holding the write lock.
    static let busyTimeout: TimeInterval = 5

    /// Opens the database at `url`, taking the secret key from ``SecretKeySource`` (which may
    /// create the key file beside a new database).
    ///
    /// - Throws: ``SecretKeyError`` for an unusable key; ``GatewayStoreError`` when the file
    ///   cannot be opened, was written by a newer archestra, or fails to migrate.
    package convenience init(url: DatabaseURL, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        let secretBox = try SecretKeySource(databaseURL: url, environment: environment).loadSecretBox(environment: environment)
        try await self.init(url: url, secretBox: secretBox)
    }

    /// Opens the database at `url` with secrets sealed by `secretBox`.
    ///
    /// - Throws: ``GatewayStoreError/newerSchema(found:supported:)`` when the database has
    ///   migrations this build does not know; ``GatewayStoreError/engine(_:)`` otherwise.
    package init(url: DatabaseURL, secretBox: SecretBox) async throws {
        self.url = url
        self.secretBox = secretBox
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "archestra.gateway"
        do {
            switch url {
            case .sqliteFile(let path):
                self.writer = try DatabasePool(path: path, configuration: configuration)
            case .sqliteInMemory:
                self.writer = try DatabaseQueue(configuration: configuration)
            case .postgres:
                throw GatewayStoreError.unsupportedDatabaseURL("a PostgreSQL URL opens a PostgresGatewayStore, not a SQLite one")
            }
        } catch let error as DatabaseError {
            throw GatewayStoreError(error, doing: "open the database at \(url)")
        }
        try await Self.migrate(self.writer)
    }

    private static func migrate(_ writer: any DatabaseWriter) async throws {
        let migrator = SQLiteSchema.migrator
        do {
            // Checked before migrating: a newer archestra's tables may not be what ours expect,
            // and writing to them could corrupt its data.
            let unknown = try await writer.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            if !unknown.isEmpty {
                let supported = SQLiteSchema.supportedVersion
                let found = unknown.compactMap(SQLiteSchema.version(of:)).max() ?? supported + 1
                throw GatewayStoreError.newerSchema(found: max(found, supported + 1), supported: supported)
            }
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                migrator.asyncMigrate(writer) { result in
                    continuation.resume(with: result.map { _ in () })
                }
            }
        } catch let error as DatabaseError {
            throw GatewayStoreError(error, doing: "migrate the database")
        }
    }

    // MARK: Access

    /// A read in its own snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.writer.read(body)
        } catch let error as DatabaseError {
            throw GatewayStoreError(error, doing: "read")
        }
    }

    /// A write in an immediate transaction (see the type's comment).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else {
                    throw GatewayStoreError.engine("a write transaction returned no result")
                }
                return result
            }
        } catch let error as DatabaseError {
            throw GatewayStoreError(error, doing: "write")
        }
    }

    // MARK: Revision

    package func revision() async throws -> Int64 {
        try await self.read { db in
            guard let value = try Int64.fetchOne(db, sql: "SELECT value FROM revision WHERE id = 1") else {
                throw GatewayStoreError.engine("the database has no revision row")
            }
            return value
        }
    }
}

extension GatewayStoreError {
    /// The engine's code and message only: GRDB's description may include the SQL, and with
    /// `publicStatementArguments` the bound values, which can be secrets.
    init(_ error: DatabaseError, doing action: String) {
        // A unique or primary-key violation is the caller's input colliding with stored state.
        if error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            self = .conflict("that id or name is already in use")
            return
        }
        let message = error.message.map { ": \($0)" } ?? ""
        self = .engine("SQLite failed to \(action) (code \(error.extendedResultCode.rawValue))\(message)")
    }
}
