import Synchronization

/// Bounds an operation that may not answer its cancellation.
package enum OperationDeadline {
    /// `operation`'s result, or `timedOut()` thrown once `timeout` has passed, whichever comes
    /// first; the caller's cancellation throws `CancellationError` at once.
    ///
    /// The operation runs as a task of its own and is cancelled, not awaited, when it loses: a
    /// task group would wait for its cancelled child, and postgres-nio cannot cancel a query on
    /// the wire, so one query stuck on a connection would hold its caller (and a graceful
    /// shutdown's last store writes) past any timeout.
    package static func run<T: Sendable>(
        timeout: Duration,
        timedOut: @escaping @Sendable () -> any Error,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = FirstOutcome<T>()
        let work = Task {
            do { outcome.deliver(.success(try await operation())) } catch { outcome.deliver(.failure(error)) }
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }  // cancelled: the work won
            outcome.deliver(.failure(timedOut()))
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await outcome.value()
        } onCancel: {
            outcome.deliver(.failure(CancellationError()))
        }
        if case .failure = result { work.cancel() }
        return try result.get()
    }
}

/// The first of several results delivered; later ones are dropped.
private final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<Result<T, any Error>, Never>?
    }

    private let state = Mutex(State())

    func deliver(_ result: Result<T, any Error>) {
        let waiter: CheckedContinuation<Result<T, any Error>, Never>? = self.state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    func value() async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            let ready: Result<T, any Error>? = self.state.withLock { state in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
