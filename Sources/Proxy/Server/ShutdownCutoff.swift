import NIOCore
import ServiceLifecycle
import Synchronization

/// Ends the streams still open just before the shutdown grace runs out, with the in-band error
/// of each client's dialect, while they can still be written.
///
/// On SIGTERM the server stops accepting and lets in-flight streams finish; when the grace
/// (`ARCHESTRA_SHUTDOWN_GRACE_SECONDS`) runs out, the service lifecycle cancels the server, and
/// from then on NIO refuses every write: a stream still open would end as a truncated body with
/// no word of why. So a little before that (``margin(for:)``) the cutoff fires: every stream
/// response watching it (``Response/init(_:departure:cutoff:)``) has its relay cancelled with
/// its ``StreamCut`` marked, and the relay, seeing the mark, writes the dialect's stream error
/// ("the proxy is shutting down") and finishes, as it does when an upstream fails mid-stream.
/// Those last bytes are held by the cut and written by the response's own (uncancelled) task.
package final class ShutdownCutoff: Sendable {
    private let signal = OneShotSignal()

    package init() {}

    /// How long before the grace runs out the cutoff fires: a second, or a quarter of a shorter
    /// grace — time enough to write a last event and end each stream.
    static func margin(for grace: Duration) -> Duration {
        guard grace > .zero else { return .zero }
        return min(.seconds(1), grace / 4)
    }

    /// Runs `operation` (the server); once graceful shutdown begins, fires ``margin(for:)``
    /// before `grace` has passed, unless `operation` has returned by then.
    package func arm(grace: Duration, around operation: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Returns when graceful shutdown begins (or throws once the group is cancelled).
                guard (try? await gracefulShutdown()) != nil else { return }
                guard (try? await Task.sleep(for: grace - Self.margin(for: grace))) != nil else { return }
                self.fire()
            }
            try await operation()
            group.cancelAll()
        }
    }

    /// Whether the cutoff has fired.
    package var hasFired: Bool { self.signal.hasFired }

    /// Fires once: runs every action registered.
    package func fire() { self.signal.fire() }

    /// Registers `action` to run when the cutoff fires; runs it at once (and returns `nil`) if it
    /// has fired already.
    func onFire(_ action: @escaping @Sendable () -> Void) -> Int? { self.signal.onFire(action) }

    func remove(_ id: Int?) { self.signal.remove(id) }
}

/// One stream's share of a ``ShutdownCutoff``: whether its relay was cut, and the last bytes the
/// relay wrote after that (its in-band error, then the end), which the response's own task
/// writes because the relay's task, being cancelled, cannot.
package final class StreamCut: Sendable {
    private struct State {
        var isCut = false
        var held: [ByteBuffer] = []
        var finished = false
        /// The relay ended the body itself before the cut arrived: nothing is left to write.
        var endedBeforeCut = false
    }

    private let state = Mutex(State())
    /// `state.isCut`, readable without the lock: the body writer checks it on every write.
    private let cutFlag = Atomic(false)

    var isCut: Bool { self.cutFlag.load(ordering: .acquiring) }

    func cut() {
        self.state.withLock { state in
            state.isCut = true
            self.cutFlag.store(true, ordering: .releasing)
        }
    }

    func hold(_ buffer: ByteBuffer) {
        self.state.withLock { $0.held.append(buffer) }
    }

    func holdFinish() {
        self.state.withLock { $0.finished = true }
    }

    func noteEnded() {
        self.state.withLock { state in
            if !state.isCut { state.endedBeforeCut = true }
        }
    }

    /// What the relay wrote after the cut, and whether it finished the body (or had already).
    var ending: (held: [ByteBuffer], finished: Bool, endedBeforeCut: Bool) {
        self.state.withLock { ($0.held, $0.finished, $0.endedBeforeCut) }
    }
}
