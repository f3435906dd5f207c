import AdminAPI
import ArgumentParser
import Foundation
import Gateway

/// `archestra policies create|list|delete`: tool-invocation and trusted-data policies
/// (docs/guardrails.md).
struct PoliciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "Create, list and delete tool-call policies (tool-invocation and trusted-data).",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a policy; prints it as JSON.",
            discussion: """
                Tool-invocation actions: allow_when_context_is_untrusted, block_when_context_is_untrusted, block_always, require_approval.
                Trusted-data actions: mark_as_trusted, mark_as_untrusted, block_always, sanitize_with_dual_llm.
                A condition is "KEY OPERATOR VALUE": KEY a path into the tool's arguments or output (items[*].url, $ for the whole output), \
                OPERATOR one of equal, notEqual, contains, notContains, startsWith, endsWith, regex.
                """
        )
        @Option(help: "tool-invocation (the model's calls) or trusted-data (tool results in the history).") var kind: PolicyKindArgument
        @Option(help: "The tool's name.") var tool: String
        @Option(help: "What the policy does when it applies.") var action: String
        @Option(help: "The profile or LLM proxy it belongs to; without it, an organisation default for every profile.") var profile: UUIDArgument?
        @Option(help: "\"KEY OPERATOR VALUE\"; repeat for several (ANDed).") var condition: [String] = []
        @Option(help: "Shown in the refusal.") var reason: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let action = ToolPolicyAction(rawValue: self.action) else {
                throw ValidationError("--action must be one of \(ToolPolicyAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let conditions = try self.condition.map(Self.parseCondition)
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run {
                try await administration.createToolPolicy(
                    ToolPolicyDraft(
                        kind: self.kind.value, profileID: self.profile?.value, toolName: self.tool, conditions: conditions, action: action,
                        reason: self.reason))
            }
        }

        static func parseCondition(_ text: String) throws -> ToolPolicyCondition {
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, let op = ToolPolicyOperator(rawValue: String(parts[1])) else {
                throw ValidationError(
                    "--condition \"\(text)\": expected \"KEY OPERATOR VALUE\", OPERATOR one of \(ToolPolicyOperator.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return ToolPolicyCondition(key: String(parts[0]), operator: op, value: parts.count == 3 ? String(parts[2]) : "")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List policies as a JSON array.")
        @Option(help: "Only tool-invocation or only trusted-data policies.") var kind: PolicyKindArgument?
        @Option(help: "Only this profile's own policies.") var profile: UUIDArgument?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.toolPolicies(kind: self.kind?.value, profileID: self.profile?.value) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a policy of either kind.")
        @Argument(help: "The policy's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.runQuietly { try await administration.deleteToolPolicy(id: self.id.value, kind: nil) }
        }
    }
}

/// `tool-invocation` or `trusted-data`, as the admin API's paths spell them.
struct PolicyKindArgument: ExpressibleByArgument {
    let value: ToolPolicyKind

    init?(argument: String) {
        switch argument {
        case "tool-invocation", "tool_invocation": self.value = .toolInvocation
        case "trusted-data", "trusted_data": self.value = .trustedData
        default: return nil
        }
    }
}
