import Logging
import ServiceLifecycle
import Testing

/// Logs nothing: the assertions say what went wrong, and a noisy proxy log hides them.
let quietLogger = Logger(label: "end-to-end") { _ in SwiftLogNoOpLogHandler() }

/// Runs one service in its own group, waits for it to report its port, runs `body`, then shuts
/// the group down gracefully and waits for it, whether `body` succeeded or threw.
///
/// The port arrives through a stream once the server listens (no sleeping). If the service stops
/// before reporting one (it failed to bind), the stream ends and the `#require` fails instead of
/// waiting for ever.
func withRunningService<S: Service, Value: Sendable>(
    _ makeService: (_ reportPort: @escaping @Sendable (Int) async -> Void) -> S,
    _ body: (_ port: Int, _ service: S) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let service = makeService { port in continuation.yield(port) }
    let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], logger: quietLogger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next(), "the service stopped before it listened")
        do {
            let value = try await body(port, service)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
