import Foundation
import WireFormats

/// Where the gateway's state lives, parsed from `ARCHESTRA_DATABASE_URL`.
///
/// - `sqlite://relative/path.sqlite`: a file relative to the working directory;
/// - `sqlite:///absolute/path.sqlite`: an absolute path;
/// - `sqlite::memory:`: a private in-memory database, gone when the store is (tests, `archestra dev`).
///
/// - `postgres://user:password@host:port/database?sslmode=require` (or `postgresql://`): a
///   PostgreSQL database shared by replicas (``PostgresURL`` lists the parameters).
///
/// The description never shows a password.
package enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteInMemory
    case postgres(PostgresURL)

    package static let environmentVariable = "ARCHESTRA_DATABASE_URL"
    package static let defaultValue = "sqlite://archestra.sqlite"

    /// - Throws: ``GatewayStoreError/unsupportedDatabaseURL(_:)``. The message names the scheme
    ///   only: a PostgreSQL URL may carry a password.
    package init(parsing string: String) throws(GatewayStoreError) {
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        if trimmed == "sqlite::memory:" {
            self = .sqliteInMemory
            return
        }
        let sqlitePrefix = "sqlite://"
        if trimmed.hasPrefix(sqlitePrefix) {
            let path = String(trimmed.dropFirst(sqlitePrefix.count))
            guard !path.isEmpty, path != "/" else {
                throw .unsupportedDatabaseURL(
                    "\(Self.environmentVariable) names no SQLite file: use sqlite://relative/path.sqlite, sqlite:///absolute/path.sqlite or sqlite::memory:"
                )
            }
            self = .sqliteFile(path: path)
            return
        }
        let scheme = trimmed.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        switch scheme.lowercased() {
        case "postgres", "postgresql":
            self = .postgres(try PostgresURL(parsing: trimmed))
            return
        case "sqlite":
            throw .unsupportedDatabaseURL(
                "\(Self.environmentVariable) is not a SQLite URL archestra understands: use sqlite://relative/path.sqlite, sqlite:///absolute/path.sqlite or sqlite::memory:"
            )
        default:
            let shown = scheme.isEmpty || scheme.count > 20 ? "" : " (scheme '\(scheme)')"
            throw .unsupportedDatabaseURL(
                "\(Self.environmentVariable) is not a supported database URL\(shown): use sqlite://relative/path.sqlite, sqlite:///absolute/path.sqlite, sqlite::memory: or postgres://user:password@host:5432/database"
            )
        }
    }

    /// `ARCHESTRA_DATABASE_URL` from `environment`, or ``defaultValue`` when it is unset or empty.
    package init(environment: [String: String]) throws(GatewayStoreError) {
        let value = environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultValue
        try self.init(parsing: value)
    }

    /// The file holding the database, `nil` in memory.
    package var filePath: String? {
        switch self {
        case .sqliteFile(let path): return path
        case .sqliteInMemory, .postgres: return nil
        }
    }

    package var description: String {
        switch self {
        case .sqliteFile(let path): return "sqlite://\(path)"
        case .sqliteInMemory: return "sqlite::memory:"
        case .postgres(let url): return url.description
        }
    }
}
