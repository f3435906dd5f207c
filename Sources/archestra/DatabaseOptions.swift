import AdminAPI
import ArgumentParser
import Foundation
import Gateway
import Logging
import Proxy

/// `--database-url`, shared by the admin subcommands, which open the store directly: they work
/// with or without a running server, and a running server picks their changes up on its own.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Database URL (env ARCHESTRA_DATABASE_URL, default sqlite://archestra.sqlite).")
    var databaseURL: String?

    /// Flag, then variable, then default.
    func resolvedURL(environment: [String: String]) throws -> DatabaseURL {
        do {
            if let flag = self.databaseURL { return try DatabaseURL(parsing: flag) }
            return try DatabaseURL(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Opens the store (running its migrations, as a server would) and checks input against the
    /// providers this build serves.
    func administration(environment: [String: String]) async throws -> GatewayAdministration {
        let store = try await GatewayStoreOpener.open(
            try self.resolvedURL(environment: environment), environment: environment, logger: Logger(label: "archestra.database"))
        return GatewayAdministration(store: store, providerIDs: ProviderCatalog.standard.declarations.map(\.id))
    }
}

/// Runs an admin command's body, printing its result as JSON on standard output and turning the
/// administration's refusals into one clear line on standard error and a non-zero exit.
enum AdminCommandOutput {
    static func run(_ body: () async throws -> some Encodable) async throws {
        let value: any Encodable
        do {
            value = try await body()
        } catch let error as AdminAPIError {
            throw AdminCommandError(message: error.message)
        } catch let error as GatewayStoreError {
            throw AdminCommandError(message: error.description)
        }
        self.print(value)
    }

    /// For `delete` and `revoke`, which print nothing on success.
    static func runQuietly(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as AdminAPIError {
            throw AdminCommandError(message: error.message)
        } catch let error as GatewayStoreError {
            throw AdminCommandError(message: error.description)
        }
    }

    /// One JSON value: indented on a terminal, one line in a pipe (so `read` and `jq` both work).
    static func print(_ value: any Encodable) {
        let encoder = AdminJSON.encoder(pretty: isatty(STDOUT_FILENO) == 1)
        guard let data = try? encoder.encode(value) else { return }
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// A refused admin command: ArgumentParser prints the message and exits with 1.
struct AdminCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { self.message }
}
