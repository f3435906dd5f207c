import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// Runs `services` (the last of which reports a port through `onServerRunning`) for the duration
/// of `body`, then shuts them down gracefully: the `testServer` pattern from Hummingbird's own
/// tests. No sleeping: the port arrives through a stream once the server listens.
func withRunningServices<Value: Sendable>(
    _ makeServices: (_ reportPort: @escaping @Sendable (Int) async -> Void) -> [any Service],
    _ body: (Int) async throws -> Value
) async throws -> Value {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let services = makeServices { port in portContinuation.yield(port) }
    let group = ServiceGroup(configuration: .init(services: services, logger: Logger(label: "test.services")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            let value = try await body(port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            throw error
        }
    }
}

/// A stand-in upstream: a Hummingbird router the test programs, on 127.0.0.1 and a free port.
func withUpstream<Value: Sendable>(
    _ configure: (Router<BasicRequestContext>) -> Void,
    _ body: (Int) async throws -> Value
) async throws -> Value {
    try await withRunningServices({ reportPort in
        let router = Router()
        configure(router)
        return [
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await reportPort($0.localAddress?.port ?? 0) },
                logger: Logger(label: "test.upstream")
            )
        ]
    }, body)
}
