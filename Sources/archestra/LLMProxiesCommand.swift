import AdminAPI
import ArgumentParser

/// `archestra llm-proxies create|list|delete`: LLM proxies are profiles of another kind, served
/// by the model router (`/v1/model-router/<llm-proxy-id>/...`).
struct LLMProxiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm-proxies",
        abstract: "Create, list and delete LLM proxies (the {llm-proxy-id} of /v1/model-router/<llm-proxy-id>/...).",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an LLM proxy; prints it as JSON.")
        @Option(help: "The LLM proxy's name (default \"llm-proxy\").") var name: String = "llm-proxy"
        @Flag(help: "Treat the context of every request through it as untrusted.") var considerContextUntrusted = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await ProfileCommands.create(.llmProxies, name: self.name, untrusted: self.considerContextUntrusted, database: self.database)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List LLM proxies (and the default profile, which also serves as one) as a JSON array.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await ProfileCommands.list(.llmProxies, database: self.database) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an LLM proxy.")
        @Argument(help: "The LLM proxy's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await ProfileCommands.delete(.llmProxies, id: self.id.value, database: self.database) }
    }
}
