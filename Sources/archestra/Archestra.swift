import ArgumentParser

/// `archestra`: the LLM security proxy, its upstream emulators and its cassette recorder.

struct Archestra: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archestra",
        abstract: "LLM security proxy, upstream emulators and traffic recorder.",
        subcommands: [
            Serve.self, Dev.self, Mock.self, Record.self, Replay.self, CassetteCommand.self,
            ProfilesCommand.self, LLMProxiesCommand.self, ProviderKeysCommand.self, VirtualKeysCommand.self, OAuthClientsCommand.self, PoliciesCommand.self,
            LimitsCommand.self, OptimisationRulesCommand.self, LogsCommand.self,
            Healthcheck.self,
        ]
    )
}
