import ArgumentParser
import Foundation
import Logging
import MockProviders
import Proxy
import ServiceLifecycle
import Gateway
import WireFormats

/// `archestra dev`: the proxy wired to in-process emulators of every upstream, so a new user can
/// send a request at once, with no provider account and no key.
struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the proxy in front of in-process emulators of every upstream (offline development).",
        discussion: """
            The proxy listens on --port (default 9000) and every provider route goes to its emulator. \
            Clients need no key: each provider's fallback key is set to one its emulator accepts.
            """
    )

    @Option(help: "Address the proxy and emulators listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Proxy port (env ARCHESTRA_PORT, default 9000).")
    var port: Int?

    @Option(name: .customLong("mock-port"), help: "First emulator port; emulators take consecutive ports (0 = ephemeral ports).")
    var mockPort: Int = 0

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = self.logging.makeLogger(label: "archestra.dev", environment: environment)
        let service = DevService(
            host: self.host,
            proxyPort: self.port,
            mockPort: self.mockPort,
            environment: environment,
            logger: logger
        )
        try await ServiceGroupRunner.run([service], gracePeriod: .seconds(10), logger: logger)
    }
}

/// Starts the emulators, then the proxy configured from the endpoints they bound.
///
/// One service rather than two because the proxy's configuration depends on the emulators'
/// ports, which are known only once they listen.
///
/// Its description is its name alone: the lifecycle logs it, and the environment it holds has keys.
struct DevService: Service, CustomStringConvertible {
    let host: String
    let proxyPort: Int?
    let mockPort: Int
    let environment: [String: String]
    let logger: Logger

    var description: String { "DevService" }

    func run() async throws {
        let (ready, readyContinuation) = AsyncStream.makeStream(of: [EmulatorEndpoint].self)
        let emulators = MockProviderServer(host: self.host, basePort: self.mockPort, logger: self.logger) { endpoints in
            readyContinuation.yield(endpoints)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await emulators.run() }
            var readiness = ready.makeAsyncIterator()
            guard let endpoints = await readiness.next() else { return }

            // The emulators' variables win over the shell's: dev mode must never reach a real provider.
            var environment = self.environment
            for variable in MockEnvironment.variables(for: endpoints) {
                environment[variable.name] = variable.value
            }
            // A laptop's gateway: nothing kept between runs unless asked, and the keyless
            // emulators (Vertex, Bedrock IAM, Ollama, vLLM) open to anonymous callers.
            environment["ARCHESTRA_DATABASE_URL"] = environment["ARCHESTRA_DATABASE_URL"] ?? "sqlite::memory:"
            environment["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] = environment["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] ?? "true"
            let configuration: ProxyConfiguration
            do {
                configuration = try ProxyConfiguration(environment: environment, host: self.host, port: self.proxyPort)
            } catch {
                throw ValidationError(String(describing: error))
            }
            let logger = self.logger
            let gateway = try await GatewayRuntime.open(configuration: configuration, logger: logger)
            let credentials = try await DevCredentials.create(in: gateway)
            let proxy = ProxyService(configuration: configuration, gateway: gateway, logger: logger) { port in
                Self.printBanner(proxy: "http://\(configuration.host):\(port)", endpoints: endpoints, credentials: credentials)
            }
            group.addTask { try await proxy.run() }
            try await group.waitForAll()
        }
    }

    private static func printBanner(proxy: String, endpoints: [EmulatorEndpoint], credentials: DevCredentials) {
        var lines = ["archestra dev: proxy listening on \(proxy)"]
        // Identity emulators (STS, instance metadata) have no proxy route of their own.
        for endpoint in endpoints where ProviderCatalog.standard.declaration(for: endpoint.provider) != nil {
            lines.append("  \(endpoint.provider) → emulator at \(endpoint.baseURL)  (route \(proxy)/v1/\(endpoint.provider))")
        }
        lines.append("gateway credentials (this run only):")
        lines.append("  virtual key      \(credentials.virtualKey.exposedValue)   (maps every provider's emulator key)")
        lines.append("  OAuth client     client_id=\(credentials.oauthClientID) client_secret=\(credentials.oauthClientSecret.exposedValue)")
        lines.append("                   token: curl \(proxy)/api/auth/oauth2/token -d grant_type=client_credentials -d client_id=… -d client_secret=…")
        lines.append("  admin API token  \(credentials.adminToken.exposedValue)   (curl -H 'authorization: Bearer …' \(proxy)/api/virtual-keys)")
        lines.append("try:")
        lines.append(
            "  curl \(proxy)/v1/openai/chat/completions -H 'content-type: application/json' "
                + "-H 'authorization: Bearer \(credentials.virtualKey.exposedValue)' "
                + #"-d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'"#
        )
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
