import AdminAPI
import ArgumentParser
import Foundation

/// `archestra oauth-clients create|list|revoke`.
struct OAuthClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth-clients",
        abstract: "Create, list and revoke LLM OAuth clients (client credentials at POST /api/auth/oauth2/token).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an OAuth client; prints it as JSON with `client_id` and `client_secret`, the secret shown this once."
        )
        @Option(name: .customLong("allowed-proxy"), help: "A profile or LLM proxy id it may name in a route (repeatable).")
        var allowedProxies: [UUIDArgument] = []
        @Option(name: .customLong("provider-key"), help: "A provider key it uses (repeatable; default: each provider's primary key).")
        var providerKeys: [UUIDArgument] = []
        @Option(help: "A name for the client.") var name: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run {
                try await administration.createOAuthClient(
                    name: self.name, allowedProxyIDs: self.allowedProxies.map(\.value), providerKeyIDs: self.providerKeys.map(\.value)
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List OAuth clients as a JSON array, without their secrets.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.oauthClients() }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an OAuth client and its access tokens.")
        @Argument(help: "The OAuth client's id (not its client_id).") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.runQuietly { try await administration.revokeOAuthClient(id: self.id.value) }
        }
    }
}
