import Foundation
package import Logging

/// Opens the store `ARCHESTRA_DATABASE_URL` names: SQLite for `sqlite:` URLs, PostgreSQL for
/// `postgres:` ones. The server and the admin CLI both open their store here.
package enum GatewayStoreOpener {
    /// - Throws: ``GatewayStoreError`` or ``SecretKeyError``; neither names a password or secret.
    package static func open(
        _ url: DatabaseURL, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) async throws -> any GatewayStore {
        switch url {
        case .sqliteFile, .sqliteInMemory:
            return try await SQLiteGatewayStore(url: url, environment: environment)
        case .postgres(let postgres):
            return try await PostgresGatewayStore(url: postgres, environment: environment, logger: logger)
        }
    }
}
