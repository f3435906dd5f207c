package import Logging
package import ServiceLifecycle

/// Logs nothing: the assertions say what went wrong, and a noisy service log hides them.
package let quietLogger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }

/// The services stopped (failed to bind, threw) before any of them reported a port.
package struct ServiceStoppedBeforeListening: Error, CustomStringConvertible {
    package var description: String { "the service stopped before it listened" }
}

/// Runs `services` in their own group (the last of them reports a port through
/// `onServerRunning`) for the duration of `body`, then shuts the group down gracefully: the
/// `testServer` pattern from Hummingbird's own tests.
///
/// The port arrives through a stream once the server listens, so nothing sleeps. If the group
/// stops before a port is reported, the stream ends and this throws
/// ``ServiceStoppedBeforeListening`` instead of waiting for ever. When `body` throws, the group
/// is asked to shut down and then cancelled, so a failed test never waits on a request that hangs.
package func withRunningServices<Value: Sendable>(
    _ makeServices: (_ reportPort: @escaping @Sendable (Int) async -> Void) -> [any Service],
    _ body: (_ port: Int) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let services = makeServices { port in continuation.yield(port) }
    return try await run(services, reportingPortsTo: ports, continuation, body)
}

/// ``withRunningServices(_:_:)`` for one service, which `body` also receives.
package func withRunningService<S: Service, Value: Sendable>(
    _ makeService: (_ reportPort: @escaping @Sendable (Int) async -> Void) -> S,
    _ body: (_ port: Int, _ service: S) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let service = makeService { port in continuation.yield(port) }
    return try await run([service], reportingPortsTo: ports, continuation) { port in try await body(port, service) }
}

private func run<Value: Sendable>(
    _ services: [any Service],
    reportingPortsTo ports: AsyncStream<Int>,
    _ continuation: AsyncStream<Int>.Continuation,
    _ body: (_ port: Int) async throws -> Value
) async throws -> Value {
    let group = ServiceGroup(services: services, gracefulShutdownSignals: [], logger: quietLogger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()
            throw ServiceStoppedBeforeListening()
        }
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
