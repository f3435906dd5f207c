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
/// ``ServiceStoppedBeforeListening`` instead of waiting for ever.
///
/// The group never sees the test's cancellation (its time limit, a failure): it is shut down
/// gracefully, and cancels its services itself ``serverShutdownGrace`` later if a request still
/// holds it. Cancelling a server's accept loop directly traps in NIO when a connection it has
/// accepted is still waiting to be taken ("Deinited NIOAsyncWriter without calling finish()",
/// apple/swift-nio#2637 and #3481): under load, one test's time limit took the whole runner down
/// that way. A graceful shutdown closes the listener and takes every accepted connection first.
package func withRunningServices<Value: Sendable>(
    _ makeServices: (_ reportPort: @escaping @Sendable (Int) async -> Void) -> [any Service],
    _ body: (_ port: Int) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let services = makeServices { port in continuation.yield(port) }
    return try await runServiceGroup(services, reportingReadinessTo: ports, continuation, body)
}

/// ``withRunningServices(_:_:)`` for one service, which `body` also receives.
package func withRunningService<S: Service, Value: Sendable>(
    _ makeService: (_ reportPort: @escaping @Sendable (Int) async -> Void) -> S,
    _ body: (_ port: Int, _ service: S) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let service = makeService { port in continuation.yield(port) }
    return try await runServiceGroup([service], reportingReadinessTo: ports, continuation) { port in try await body(port, service) }
}

/// How long a test's servers get to finish their requests once the test is done, before they are
/// cancelled: a stand-in upstream that a test left stalled would otherwise hold its server for ever.
package let serverShutdownGrace: Duration = .seconds(3)

/// Runs `services` until `body` is done, as ``withRunningServices(_:_:)`` does; `body` gets the
/// first value a service reports through `continuation` once it is ready (a port, or for the
/// emulators every endpoint).
package func runServiceGroup<Ready: Sendable, Value: Sendable>(
    _ services: [any Service],
    reportingReadinessTo readiness: AsyncStream<Ready>,
    _ continuation: AsyncStream<Ready>.Continuation,
    _ body: (_ ready: Ready) async throws -> Value
) async throws -> Value {
    var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [], logger: quietLogger)
    configuration.maximumGracefulShutdownDuration = serverShutdownGrace
    let group = ServiceGroup(configuration: configuration)
    // Unstructured on purpose: the test's cancellation must not reach the accept loop (see above).
    let running = Task {
        defer { continuation.finish() }
        try await group.run()
    }
    var iterator = readiness.makeAsyncIterator()
    guard let ready = await iterator.next() else {
        // The group stopped (its error is thrown), or the test was cancelled while it started.
        await group.triggerGracefulShutdown()
        try await running.value
        try Task.checkCancellation()
        throw ServiceStoppedBeforeListening()
    }
    do {
        let value = try await body(ready)
        await group.triggerGracefulShutdown()
        try await running.value
        return value
    } catch {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        throw error
    }
}
