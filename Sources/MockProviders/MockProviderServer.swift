package import Logging
import ServiceLifecycle
import Synchronization

/// Runs every emulator in ``EmulatorCatalog/all``, each on its own listener.
///
/// Port rule: emulators take consecutive ports from `basePort` in catalog order (OpenAI first,
/// so OpenAI gets `basePort`). With `basePort == 0` every emulator binds an ephemeral port.
/// `onReady` is called once, after every listener is bound, with the real ports.
///
/// Its description is its name alone: the lifecycle logs it, and the declarations it holds carry
/// the keys each emulator accepts.
package struct MockProviderServer: Service, CustomStringConvertible {
    let host: String
    let basePort: Int
    let logger: Logger
    let onReady: @Sendable ([EmulatorEndpoint]) async -> Void
    let emulators: [EmulatorDeclaration]

    package var description: String { "MockProviderServer" }

    package init(
        host: String = "127.0.0.1",
        basePort: Int,
        logger: Logger,
        onReady: @escaping @Sendable ([EmulatorEndpoint]) async -> Void
    ) {
        self.init(host: host, basePort: basePort, emulators: EmulatorCatalog.all, logger: logger, onReady: onReady)
    }

    package init(
        host: String,
        basePort: Int,
        emulators: [EmulatorDeclaration],
        logger: Logger,
        onReady: @escaping @Sendable ([EmulatorEndpoint]) async -> Void
    ) {
        self.host = host
        self.basePort = basePort
        self.emulators = emulators
        self.logger = logger
        self.onReady = onReady
    }

    /// The port emulator number `index` asks for under the port rule.
    package static func requestedPort(basePort: Int, index: Int) -> Int {
        basePort == 0 ? 0 : basePort + index
    }

    /// Runs until graceful shutdown; throws if any emulator fails to bind or stops with an error.
    package func run() async throws {
        let readiness = ReadinessTracker(expected: self.emulators.count)
        try await withThrowingDiscardingTaskGroup { group in
            for (index, emulator) in self.emulators.enumerated() {
                let port = Self.requestedPort(basePort: self.basePort, index: index)
                var logger = self.logger
                logger[metadataKey: "archestra.provider"] = .string(emulator.provider)
                let service = emulator.makeService(self.host, port, logger) { boundPort in
                    let endpoint = EmulatorEndpoint(
                        provider: emulator.provider,
                        host: self.host,
                        port: boundPort,
                        basePath: emulator.basePath,
                        apiKey: emulator.apiKey,
                        scheme: emulator.scheme
                    )
                    if let everyEndpoint = readiness.report(endpoint, at: index) {
                        await self.onReady(everyEndpoint)
                    }
                }
                group.addTask { try await service.run() }
            }
        }
    }
}

/// Collects bound endpoints until every emulator has reported, so `onReady` fires exactly once.
private final class ReadinessTracker: Sendable {
    private let endpoints: Mutex<[Int: EmulatorEndpoint]> = Mutex([:])
    private let expected: Int

    init(expected: Int) { self.expected = expected }

    /// Returns every endpoint in catalog order when this report completes the set, else `nil`.
    func report(_ endpoint: EmulatorEndpoint, at index: Int) -> [EmulatorEndpoint]? {
        self.endpoints.withLock { endpoints in
            endpoints[index] = endpoint
            guard endpoints.count == self.expected else { return nil }
            return endpoints.keys.sorted().compactMap { endpoints[$0] }
        }
    }
}
