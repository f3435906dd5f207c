/// Opens when the test says: a stand-in upstream waits on it to send the rest of a stream, so a
/// test can prove what the client received before (nothing buffered) or at shutdown.
actor Gate {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var isOpen = false

    func open() {
        self.isOpen = true
        for waiter in self.waiters { waiter.resume() }
        self.waiters = []
    }

    func wait() async {
        if self.isOpen { return }
        await withCheckedContinuation { self.waiters.append($0) }
    }
}
