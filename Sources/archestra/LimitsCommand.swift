import AdminAPI
import ArgumentParser
import Foundation
import Gateway

/// `archestra limits create|list|delete`: spending limits in US dollars (GATEWAY.md §5).
struct LimitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Create, list and delete spending limits (USD) per virtual key, profile or LLM proxy, or for the organization.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a limit; prints it as JSON with its `id`.",
            discussion: """
                Requests over the limit are refused with 402 before they reach the provider. Amounts are decimal US dollars \
                (0.005 is half a cent). Windows: 1h, 24h, 1w, 1m (rolling: the last hour, day, week, 30 days) and day, week, \
                month (calendar, UTC; weeks start on Monday). Default: month.
                Example: archestra limits create --virtual-key <id> --usd 25 --window day --model gpt-4o --model gpt-4.1
                """
        )
        @Option(name: .customLong("virtual-key"), help: "Limit this virtual key's requests.") var virtualKey: UUIDArgument?
        @Option(help: "Limit the requests of this profile or LLM proxy.") var profile: UUIDArgument?
        @Flag(help: "Limit every request this gateway serves.") var org = false
        @Option(help: "The amount, in US dollars (decimal).") var usd: String
        @Option(help: "1h, 24h, 1w, 1m, day, week or month.") var window: String = "month"
        @Option(name: .customLong("model"), help: "Count and limit only requests for this model (repeatable). Default: every model.")
        var models: [String] = []
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            let chosen = [self.virtualKey != nil, self.profile != nil, self.org].filter { $0 }.count
            guard chosen == 1 else { throw ValidationError("give exactly one of --virtual-key ID, --profile ID or --org") }
            guard LimitWindow(rawValue: self.window) != nil else { throw ValidationError("--window must be one of \(LimitWindow.names)") }
        }

        func run() async throws {
            let entity: SpendLimit.Entity =
                if let virtualKey { .virtualKey(virtualKey.value) } else if let profile { .profile(profile.value) } else { .organization }
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run {
                try await administration.createLimit(entity: entity, usd: self.usd, window: self.window, models: self.models)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List limits as a JSON array, each with `usage_usd` and `remaining_usd` in its current window.",
            discussion: "Usage is what the serving processes have saved to the database; each saves every second."
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.limits() }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a limit and its recorded usage.")
        @Argument(help: "The limit's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.runQuietly { try await administration.deleteLimit(id: self.id.value) }
        }
    }
}
