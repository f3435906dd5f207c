import AdminAPI
import ArgumentParser
import Foundation
import Gateway

/// `archestra optimisation-rules create|list|enable|disable|delete`: model optimisation rules
/// (docs/cost-and-limits.md).
struct OptimisationRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimisation-rules",
        abstract: "Create, list, enable, disable and delete model optimisation rules (send small or tool-less requests to a cheaper model).",
        subcommands: [Create.self, List.self, Enable.self, Disable.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a rule; prints it as JSON with its `id`.",
            discussion: """
                A provider's enabled rules are tried oldest first; the first whose conditions all hold rewrites the request's model. \
                At least one condition is required.
                Example: archestra optimisation-rules create --provider openai --target-model gpt-5-mini --max-prompt-tokens 1000 --has-tools false
                """
        )
        @Option(help: "The provider route name (openai, anthropic, gemini, …) whose requests it rewrites.") var provider: String
        @Option(name: .customLong("target-model"), help: "The model to send matching requests to.") var targetModel: String
        @Option(name: .customLong("max-prompt-tokens"), help: "Applies when the estimated prompt and tool tokens are at most this.")
        var maxPromptTokens: Int?
        @Option(name: .customLong("has-tools"), help: "true: applies only to requests that declare tools; false: only to those that declare none.")
        var hasTools: Bool?
        @Flag(help: "Create it disabled.") var disabled = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run {
                try await administration.createOptimisationRule(
                    OptimisationRuleDraft(
                        provider: self.provider, targetModel: self.targetModel,
                        conditions: OptimisationConditions(maxPromptTokens: self.maxPromptTokens, hasTools: self.hasTools), enabled: !self.disabled))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every rule, in the order they are tried, as a JSON array.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.optimisationRules() }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a rule; prints it.")
        @Argument(help: "The rule's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.setOptimisationRuleEnabled(id: self.id.value, enabled: true) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a rule (it is kept); prints it.")
        @Argument(help: "The rule's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.setOptimisationRuleEnabled(id: self.id.value, enabled: false) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a rule.")
        @Argument(help: "The rule's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.runQuietly { try await administration.deleteOptimisationRule(id: self.id.value) }
        }
    }
}
