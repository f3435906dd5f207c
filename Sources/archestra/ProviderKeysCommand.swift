import AdminAPI
import ArgumentParser
import Foundation
import WireFormats

/// `archestra provider-keys create|list|delete`. The key itself never comes from argv, where
/// `ps` and shell history would show it: `--key-env` names a variable, `--key-stdin` reads it.
struct ProviderKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider-keys",
        abstract: "Create, list and delete provider API keys.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a provider API key; prints it as JSON, without the key.",
            discussion: "Example: OPENAI_KEY=sk-... archestra provider-keys create --provider openai --key-env OPENAI_KEY"
        )
        @Option(help: "The provider's route name (openai, anthropic, gemini, bedrock, ...).") var provider: String
        @Option(help: "Read the key from this environment variable.") var keyEnv: String?
        @Flag(help: "Read the key from standard input (one trailing newline is dropped).") var keyStdin = false
        @Option(help: "Base URL for requests made with this key (overrides the provider's).") var baseURL: String?
        @Option(help: "A name for the key.") var name: String?
        @Flag(inversion: .prefixedNo, help: "Make it the provider's primary key (default: primary when the provider has none).")
        var primary: Bool?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (self.keyEnv != nil) != self.keyStdin else {
                throw ValidationError("give the key with exactly one of --key-env VAR or --key-stdin")
            }
        }

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let key = try KeyInput.read(variable: self.keyEnv, environment: environment)
            let administration = try await self.database.administration(environment: environment)
            try await AdminCommandOutput.run {
                try await administration.createProviderKey(
                    provider: self.provider, apiKey: key, name: self.name, baseURL: self.baseURL, isPrimary: self.primary
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List provider keys as a JSON array, without the keys.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.run { try await administration.providerKeys() }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a provider key (it is removed from every virtual key and OAuth client).")
        @Argument(help: "The provider key's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
            try await AdminCommandOutput.runQuietly { try await administration.deleteProviderKey(id: self.id.value) }
        }
    }
}

/// Where `provider-keys create` reads the key from.
enum KeyInput {
    /// From the named variable, or from standard input when `variable` is nil.
    static func read(variable: String?, environment: [String: String]) throws -> Secret {
        if let variable {
            guard let value = environment[variable], !value.isEmpty else {
                throw AdminCommandError(message: "the variable \(variable) is not set or is empty")
            }
            return Secret(value)
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw AdminCommandError(message: "standard input is not UTF-8 text")
        }
        let value = self.droppingOneTrailingNewline(text)
        guard !value.isEmpty else { throw AdminCommandError(message: "standard input held no key") }
        return Secret(value)
    }

    /// `echo "$KEY" |` adds one newline; only that one goes, so a key is otherwise taken as given.
    static func droppingOneTrailingNewline(_ text: String) -> String {
        if text.hasSuffix("\r\n") { return String(text.dropLast(2)) }
        if text.hasSuffix("\n") { return String(text.dropLast()) }
        return text
    }
}
