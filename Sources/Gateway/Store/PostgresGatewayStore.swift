import Foundation
package import Logging
import NIOSSL
import WireFormats
import PostgresNIO

/// The ``GatewayStore`` that replicas share: one PostgreSQL database through postgres-nio's
/// `PostgresClient`, a pool of at most ``PostgresURL/poolSize`` connections per process.
///
/// The tables, columns and stored forms are SQLite's (``PostgresSchema``), so each concern's
/// file reads like its SQLite twin. What differs is concurrency: SQLite serialises every write;
/// here administrative writes take one transaction-scoped advisory lock, so "read, check, write"
/// sequences (one primary key per provider, revision bumps) stay as serial as on SQLite across
/// every replica, while the frequent bookkeeping writes (interaction log, limit spend, last use)
/// run in parallel: they are single upserts or inserts, atomic on their own.
///
/// Every operation is bounded by ``PostgresURL/queryTimeoutSeconds`` (waiting for a connection
/// included): with the database down, a caller gets ``GatewayStoreError/unavailable(_:)`` after
/// that long instead of waiting for the pool to reconnect. The pool reconnects by itself.
package final class PostgresGatewayStore: GatewayStore {
    package let url: PostgresURL
    package var isSharedByReplicas: Bool { true }
    let client: PostgresClient
    let secretBox: SecretBox
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let queryTimeout: Duration
    /// Names the advisory locks: one schema's replicas share them, other schemas' do not.
    private let lockScope: String

    /// bcrypt cost for OAuth client secrets, as on SQLite.
    static let bcryptCost: UInt8 = GatewayStoreRules.bcryptCost
    /// Migrations may take longer than one query: they wait for other replicas' migrations.
    static let migrationTimeout: Duration = .seconds(120)

    /// Opens the database at `url` with the key from `ARCHESTRA_SECRET_KEY`, which a shared
    /// database requires: every replica must seal and open secrets with the same key, and there
    /// is no file beside the database to keep a generated one in.
    package convenience init(url: PostgresURL, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) async throws {
        guard let value = environment[SecretKeySource.environmentVariableName], !value.isEmpty else {
            throw GatewayStoreError.unsupportedDatabaseURL(
                "set \(SecretKeySource.environmentVariableName) with a PostgreSQL database: every replica must encrypt stored secrets with the same key (generate one with `openssl rand -base64 32`)"
            )
        }
        let box = try SecretKeySource.environmentVariable.loadSecretBox(environment: environment)
        try await self.init(url: url, secretBox: box, logger: logger)
    }

    /// Connects, migrates, and keeps the pool running until ``shutdown()``.
    ///
    /// - Parameter searchPath: the schema to work in, created when missing; `nil` takes the
    ///   URL's `schema` (tests give each store a fresh schema of one database).
    /// - Throws: ``GatewayStoreError/newerSchema(found:supported:)`` when the database has
    ///   migrations this build does not know; ``GatewayStoreError/unavailable(_:)`` or
    ///   ``GatewayStoreError/engine(_:)`` otherwise. None carries the password.
    package init(url: PostgresURL, secretBox: SecretBox, searchPath: String? = nil, logger: Logger) async throws {
        let searchPath = searchPath ?? url.schema
        self.lockScope = searchPath ?? ""
        self.url = url
        self.secretBox = secretBox
        self.logger = logger
        self.queryTimeout = .seconds(url.queryTimeoutSeconds)
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password?.exposedValue, database: url.database,
            tls: try Self.tls(for: url)
        )
        configuration.options.maximumConnections = url.poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(url.connectTimeoutSeconds)
        configuration.options.additionalStartupParameters = [("application_name", "archestra")]
        if let searchPath {
            configuration.options.additionalStartupParameters.append(("search_path", searchPath))
        }
        if let searchPath {
            guard PostgresURL.isSchemaName(searchPath) else {
                throw GatewayStoreError.invalid("a schema name must be lowercase letters, digits and underscores")
            }
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runTask = Task { await client.run() }
        do {
            // Reachable at all, within the query timeout: the migration's longer bound is for
            // waiting on other replicas' migrations, not on a database that is down.
            _ = try await self.read { db in try await db.execute("SELECT 1") }
            try await self.migrate(creatingSchema: searchPath)
        } catch {
            await self.shutdown()
            throw error
        }
    }

    /// Closes the pool. Further calls fail.
    package func shutdown() async {
        self.runTask.cancel()
        await self.runTask.value
    }

    deinit {
        self.runTask.cancel()
    }

    private static func tls(for url: PostgresURL) throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = url.rootCertificatePath {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw GatewayStoreError.unsupportedDatabaseURL("the sslrootcert file \(path) cannot be read")
            }
            tls.trustRoots = .file(path)
        }
        switch url.tls {
        case .disable:
            return .disable
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            // libpq's `require`: encrypted, but the certificate is not checked.
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(tls)
        }
    }

    // MARK: Migrations

    /// - Parameter schema: created first when missing (under the lock: two replicas creating it
    ///   at once would collide).
    private func migrate(creatingSchema schema: String?) async throws {
        let known = PostgresSchema.migrations
        let table = PostgresSchema.migrationsTable
        let lock = "archestra.migrations:" + self.lockScope
        try await self.write(serialized: false, timeout: Self.migrationTimeout) { db in
            // Replicas starting together queue here; the first one migrates.
            try await db.execute("SELECT pg_advisory_xact_lock(hashtext(\(lock)))")
            if let schema {
                try await db.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
            }
            try await db.execute(
                PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(table) (identifier TEXT PRIMARY KEY NOT NULL, applied_at BIGINT NOT NULL)")
            )
            let applied = Set(try await db.rows(PostgresQuery(unsafeSQL: "SELECT identifier FROM \(table)")).map { try $0.string("identifier") })
            // Checked before migrating: a newer archestra's tables may not be what ours expect.
            let unknown = applied.subtracting(known.map(\.identifier))
            if !unknown.isEmpty {
                let supported = PostgresSchema.supportedVersion
                let found = unknown.compactMap(SQLiteSchema.version(of:)).max() ?? supported + 1
                throw GatewayStoreError.newerSchema(found: max(found, supported + 1), supported: supported)
            }
            for migration in known where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await db.execute(PostgresQuery(unsafeSQL: statement))
                }
                try await Self.seed(after: migration.identifier, db)
                try await db.execute(
                    "INSERT INTO archestra_migrations (identifier, applied_at) VALUES (\(migration.identifier), \(StoredTime.milliseconds(Date())))"
                )
            }
        }
    }

    /// The rows a migration inserts with bound values, as SQLite's migrations do.
    private static func seed(after identifier: String, _ db: PostgresSession) async throws {
        switch identifier {
        case "0001-gateway":
            // The default profile exists from the first start: routes without a profile id use it.
            try await db.execute(
                """
                INSERT INTO profiles (id, name, kind, is_default, consider_context_untrusted, created_at)
                VALUES (\(StoredID.text(UUID())), 'default', 'profile', TRUE, FALSE, \(StoredTime.milliseconds(Date())))
                """
            )
        case "0006-optimisation-rules":
            // Archestra's two defaults, disabled, in their order.
            let now = StoredTime.milliseconds(StoredTime.normalized(Date()))
            for (offset, rule) in OptimisationRule.archestraDefaults.enumerated() {
                try await db.execute(
                    """
                    INSERT INTO optimisation_rules (id, provider, target_model, max_prompt_tokens, has_tools, enabled, created_at)
                    VALUES (\(StoredID.text(UUID())), \(rule.provider), \(rule.targetModel), \(rule.conditions.maxPromptTokens.map(Int64.init)),
                        \(rule.conditions.hasTools), FALSE, \(now + Int64(offset)))
                    """
                )
            }
        default:
            break
        }
    }

    // MARK: Access

    /// Queries on one leased connection, outside a transaction, within the query timeout.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await self.bounded(doing: "read") { client in
            try await client.withConnection { connection in
                try await body(PostgresSession(connection: connection, logger: logger))
            }
        }
    }

    /// One transaction, within the query timeout. `serialized` takes the administrative write
    /// lock first (see the type's comment).
    func write<T: Sendable>(
        serialized: Bool = true, timeout: Duration? = nil, _ body: @escaping @Sendable (PostgresSession) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        let lock = "archestra.writes:" + self.lockScope
        return try await self.bounded(doing: "write", timeout: timeout) { client in
            try await client.withTransaction(logger: logger) { connection in
                let session = PostgresSession(connection: connection, logger: logger)
                if serialized {
                    try await session.execute("SELECT pg_advisory_xact_lock(hashtext(\(lock)))")
                }
                return try await body(session)
            }
        }
    }

    /// Runs `operation` against the pool, failing with ``GatewayStoreError/unavailable(_:)``
    /// when it takes longer than the query timeout (a pool waiting for a database that is down
    /// would otherwise wait as long as the outage).
    private func bounded<T: Sendable>(
        doing action: String, timeout: Duration? = nil, _ operation: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = self.client
        let timeout = timeout ?? self.queryTimeout
        do {
            return try await OperationDeadline.run(timeout: timeout, timedOut: {
                GatewayStoreError.unavailable(
                    "PostgreSQL did not answer within \(timeout.components.seconds) s (\(action)): it is down, unreachable, refusing the login or overloaded; the log has the connection errors"
                )
            }) {
                try await operation(client)
            }
        } catch {
            throw Self.storeError(error, doing: action)
        }
    }

    // MARK: Revision

    package func revision() async throws -> Int64 {
        try await self.read { db in
            guard let row = try await db.rows("SELECT value FROM revision WHERE id = 1").first else {
                throw GatewayStoreError.engine("the database has no revision row")
            }
            return try row.int64("value")
        }
    }

    /// Called inside every administrative write's transaction, so that a reader sees the new
    /// revision exactly when it can see the change.
    static func bumpRevision(_ db: PostgresSession) async throws {
        try await db.execute("UPDATE revision SET value = value + 1 WHERE id = 1")
    }

    // MARK: Errors

    /// A ``GatewayStoreError`` from whatever postgres-nio threw: the server's SQLSTATE and
    /// message, or the client's error code. Never the query's bound values, the URL or the
    /// password (postgres-nio's own descriptions are generic for the same reason).
    static func storeError(_ error: any Error, doing action: String) -> any Error {
        switch error {
        case let error as GatewayStoreError:
            return error
        case is CancellationError:
            return error
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return storeError(inner, doing: action)
            }
            return GatewayStoreError.engine("PostgreSQL failed to \(action) (transaction)")
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                // A unique or primary-key violation is the caller's input colliding with stored state.
                if state == "23505" {
                    return GatewayStoreError.conflict("that id or name is already in use")
                }
                let message = error.serverInfo?[.message].map { ": \($0)" } ?? ""
                // Class 08 (connection), 53 (resources), 57P (shutdown): the database is unavailable.
                if state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") {
                    return GatewayStoreError.unavailable("PostgreSQL is unavailable (SQLSTATE \(state))\(message)")
                }
                return GatewayStoreError.engine("PostgreSQL failed to \(action) (SQLSTATE \(state))\(message)")
            }
            return GatewayStoreError.unavailable("PostgreSQL is unavailable (\(error.code))")
        default:
            return GatewayStoreError.unavailable("PostgreSQL is unavailable (\(type(of: error)))")
        }
    }
}

/// One leased connection (in a transaction or not), with the few calls the store makes.
struct PostgresSession: @unchecked Sendable {
    // @unchecked: used only inside the closure that leased it, as postgres-nio requires.
    let connection: PostgresConnection
    let logger: Logger

    func execute(_ query: PostgresQuery) async throws {
        let rows = try await self.connection.query(query, logger: self.logger)
        for try await _ in rows {}
    }

    func rows(_ query: PostgresQuery) async throws -> [StoredRow] {
        var result: [StoredRow] = []
        for try await row in try await self.connection.query(query, logger: self.logger) {
            result.append(StoredRow(row: row.makeRandomAccess()))
        }
        return result
    }

    /// How many rows a statement with `RETURNING 1` touched.
    func count(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await self.connection.query(query, logger: self.logger) { count += 1 }
        return count
    }

    func exists(_ query: PostgresQuery) async throws -> Bool {
        try await self.count(query) > 0
    }
}

/// A row read by column name; a decoding failure names the column, never the value.
struct StoredRow: @unchecked Sendable {
    let row: PostgresRandomAccessRow

    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        do {
            return try self.row[column].decode(T.self)
        } catch {
            throw GatewayStoreError.engine("the database holds an unexpected value in column \(column)")
        }
    }

    func string(_ column: String) throws -> String { try self.value(column) }
    func optionalString(_ column: String) throws -> String? { try self.value(column) }
    func int64(_ column: String) throws -> Int64 { try self.value(column) }
    func optionalInt64(_ column: String) throws -> Int64? { try self.value(column) }
    func bool(_ column: String) throws -> Bool { try self.value(column) }
    func id(_ column: String) throws -> UUID { try StoredID.uuid(try self.optionalString(column)) }
    func optionalID(_ column: String) throws -> UUID? { try self.optionalString(column).map { try StoredID.uuid($0) } }
    func date(_ column: String) throws -> Date { StoredTime.date(try self.int64(column)) }
    func optionalDate(_ column: String) throws -> Date? { StoredTime.date(try self.optionalInt64(column)) }
}
