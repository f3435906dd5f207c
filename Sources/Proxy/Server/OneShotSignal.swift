import Synchronization

/// A signal that fires once and runs the actions registered for it: a client's departure
/// (``ClientDeparture``), the shutdown's cutoff (``ShutdownCutoff``). Actions are keyed, so
/// removing one stays cheap with thousands registered.
final class OneShotSignal: Sendable {
    private struct State {
        var fired = false
        var nextID = 0
        var actions: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    var hasFired: Bool { self.state.withLock { $0.fired } }

    /// Fires: runs (outside the lock) every action registered. Later calls do nothing.
    func fire() {
        let actions: [@Sendable () -> Void] = self.state.withLock { state in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.actions = [:] }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }

    /// Registers `action` to run when the signal fires; runs it at once (and returns `nil`) if
    /// it has fired already.
    func onFire(_ action: @escaping @Sendable () -> Void) -> Int? {
        let id: Int? = self.state.withLock { state in
            guard !state.fired else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.actions[id] = action
            return id
        }
        if id == nil { action() }
        return id
    }

    func remove(_ id: Int?) {
        guard let id else { return }
        _ = self.state.withLock { state in state.actions.removeValue(forKey: id) }
    }
}
