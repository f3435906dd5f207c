import AdminAPI
import ArgumentParser
import Foundation

/// `archestra profiles create|list|delete`.
struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Create, list and delete profiles (the {profile-id} of /v1/<provider>/<profile-id>/...).",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a profile; prints it as JSON.")
        @Option(help: "The profile's name (default \"profile\").") var name: String = "profile"
        @Flag(help: "Treat the context of every request through it as untrusted.") var considerContextUntrusted = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await ProfileCommands.create(.profiles, name: self.name, untrusted: self.considerContextUntrusted, database: self.database)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List profiles as a JSON array.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await ProfileCommands.list(.profiles, database: self.database) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a profile (not the default one).")
        @Argument(help: "The profile's id.") var id: UUIDArgument
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await ProfileCommands.delete(.profiles, id: self.id.value, database: self.database) }
    }
}

/// What `profiles` and `llm-proxies` share: the same entity through its kind.
enum ProfileCommands {
    static func create(_ collection: ProfileCollection, name: String, untrusted: Bool, database: DatabaseOptions) async throws {
        let administration = try await database.administration(environment: ProcessInfo.processInfo.environment)
        try await AdminCommandOutput.run {
            try await administration.createProfile(in: collection, name: name, considerContextUntrusted: untrusted)
        }
    }

    static func list(_ collection: ProfileCollection, database: DatabaseOptions) async throws {
        let administration = try await database.administration(environment: ProcessInfo.processInfo.environment)
        try await AdminCommandOutput.run { try await administration.profiles(in: collection) }
    }

    static func delete(_ collection: ProfileCollection, id: UUID, database: DatabaseOptions) async throws {
        let administration = try await database.administration(environment: ProcessInfo.processInfo.environment)
        try await AdminCommandOutput.runQuietly { try await administration.deleteProfile(id: id, in: collection) }
    }
}

/// A UUID argument; a wrapper because we own neither `UUID` nor `ExpressibleByArgument`.
struct UUIDArgument: ExpressibleByArgument {
    let value: UUID

    init?(argument: String) {
        guard let value = UUID(uuidString: argument) else { return nil }
        self.value = value
    }
}
