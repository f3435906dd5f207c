package import Logging
package import ServiceLifecycle
package import Hummingbird

/// One upstream API the mock server emulates: data, plus how to build its listener.
///
/// Adding a provider means adding a declaration to ``EmulatorCatalog/all``; the server, the port
/// rule and the env file follow from the data.
package struct EmulatorDeclaration: Sendable {
    /// Provider id, as used in routes and env variable names (`openai`).
    package let provider: String
    /// Path the SDK's base URL ends with (`/v1` for OpenAI), so that `baseURL` works unchanged.
    package let basePath: String
    /// The key written to the env file; the emulator accepts it.
    package let apiKey: String
    /// Env variables pointing `archestra serve` and the provider's SDK at a running emulator.
    package let environmentVariables: @Sendable (EmulatorEndpoint) -> [(name: String, value: String)]
    /// Builds the emulator's server. `onListening` receives the bound port once the listener is up.
    /// `https` for emulators that serve TLS with ``MockCertificateAuthority`` (Bedrock, whose SDK
    /// sends API keys only over HTTPS); `http` otherwise.
    package let scheme: String
    package let makeService: @Sendable (_ host: String, _ port: Int, _ logger: Logger, _ onListening: @escaping @Sendable (Int) async -> Void) -> any Service

    package init(
        provider: String,
        basePath: String,
        apiKey: String,
        environmentVariables: @escaping @Sendable (EmulatorEndpoint) -> [(name: String, value: String)],
        scheme: String = "http",
        makeService: @escaping @Sendable (String, Int, Logger, @escaping @Sendable (Int) async -> Void) -> any Service
    ) {
        self.provider = provider
        self.basePath = basePath
        self.apiKey = apiKey
        self.environmentVariables = environmentVariables
        self.scheme = scheme
        self.makeService = makeService
    }
}

extension EmulatorDeclaration {
    /// The common emulator: one plain-HTTP router, and env variables that are the emulator's base
    /// URL under each of `baseURLVariables` followed by its key under each of `apiKeyVariables`
    /// (what `archestra serve` reads and what the provider's SDK reads, in that order), then any
    /// `extraVariables` (another client of the same emulator, e.g. the anthropic SDK's Foundry one).
    package init(
        provider: String,
        basePath: String,
        apiKey: String,
        baseURLVariables: [String],
        apiKeyVariables: [String],
        extraVariables: @escaping @Sendable (EmulatorEndpoint) -> [(name: String, value: String)] = { _ in [] },
        makeRouter: @escaping @Sendable () -> Router<BasicRequestContext>
    ) {
        self.init(
            provider: provider,
            basePath: basePath,
            apiKey: apiKey,
            environmentVariables: { endpoint in
                baseURLVariables.map { (name: $0, value: endpoint.baseURL) } + apiKeyVariables.map { (name: $0, value: endpoint.apiKey) }
                    + extraVariables(endpoint)
            },
            makeService: { host, port, logger, onListening in
                EmulatorApplication.make(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
            }
        )
    }
}
