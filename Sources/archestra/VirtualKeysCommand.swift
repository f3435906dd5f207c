import AdminAPI
import ArgumentParser
import Foundation

/// `archestra virtual-keys create|list|revoke`.
struct VirtualKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtual-keys",
        abstract: "Create, list and revoke virtual keys (arch_...), which clients use as their SDK's API key.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a virtual key; prints it as JSON with its `value`, shown this once.",
            discussion: "Example: archestra virtual-keys create --provider-key <id> --provider-key <id> --expires-in 30d"
        )
        @Option(name: .customLong("provider-key"), help: "A provider key it maps to (repeatable; at most one per provider).")
        var providerKeys: [UUIDArgument] = []
        @Option(help: "Lifetime: a number with s, m, h or d (90s, 12h, 30d). Default: no expiry.") var expiresIn: ExpiryDuration?
        @Option(help: "A name for the key.") var name: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard !self.providerKeys.isEmpty else { throw ValidationError("give at least one --provider-key ID") }
        }

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run {
                try await administration.createVirtualKey(
                    name: self.name, providerKeyIDs: self.providerKeys.map(\.value), expiresInSeconds: self.expiresIn?.seconds
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List virtual keys as a JSON array, without their values.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.virtualKeys() }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a virtual key; it stays listed with revoked_at.")
        @Argument(help: "The virtual key's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.runQuietly { try await administration.revokeVirtualKey(id: self.id.value) }
        }
    }
}

/// `90s`, `15m`, `12h`, `30d`.
struct ExpiryDuration: ExpressibleByArgument {
    let seconds: Int

    init?(argument: String) {
        guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0 else { return nil }
        let multiplier: Int
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86_400
        default: return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        self.seconds = seconds
    }
}
