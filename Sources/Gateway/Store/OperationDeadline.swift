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
