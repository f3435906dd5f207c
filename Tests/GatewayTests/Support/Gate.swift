import Synchronization

/// Holds the calls that reach it until ``open()``, counting them: lets a test freeze a store
/// read mid-flight and look at what else happens meanwhile.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var entered = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    /// How many calls have reached the gate so far.
    var entered: Int { self.state.withLock { $0.entered } }

    func pass() async {
        await withCheckedContinuation { continuation in
            let open = self.state.withLock { state in
                state.entered += 1
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiting = self.state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Polls every 5 ms until `count` calls have reached the gate, for at most `attempts` polls.
    func waitUntilEntered(_ count: Int, attempts: Int = 2000) async throws -> Bool {
        for _ in 0..<attempts {
            if self.entered >= count { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}
