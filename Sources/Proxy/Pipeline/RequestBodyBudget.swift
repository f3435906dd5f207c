import Synchronization

/// The bytes of request bodies the proxy holds in memory at once, across all requests
/// (`ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES`). Bodies the pipeline reads — JSON operations, SigV4
/// payloads, the model router — reserve their bytes as they arrive (a declared length at once);
/// past the budget the request is refused with 503 and `retry-after` before more is read, so
/// twenty clients sending the largest body allowed cannot take the process's memory with them.
/// Bodies streamed upstream as they arrive hold one chunk at a time and reserve nothing.
package final class RequestBodyBudget: Sendable {
    package let limit: Int
    private let used = Mutex(0)

    package init(limit: Int) {
        self.limit = limit
    }

    /// Takes `bytes` from the budget, or throws without taking any.
    package func reserve(_ bytes: Int) throws(ProxyError) {
        let granted = self.used.withLock { used -> Bool in
            guard used + bytes <= self.limit else { return false }
            used += bytes
            return true
        }
        guard granted else { throw .bufferedBodiesOverCapacity(limit: self.limit) }
    }

    package func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        self.used.withLock { $0 = max(0, $0 - bytes) }
    }

    /// Bytes reserved now (for tests and metrics).
    package var inUse: Int { self.used.withLock { $0 } }
}

/// What one request has reserved, given back when the pipeline is done with its body.
package struct BodyReservation: Sendable {
    package private(set) var bytes = 0

    package init() {}

    package mutating func add(_ count: Int, from budget: RequestBodyBudget) throws(ProxyError) {
        try budget.reserve(count)
        self.bytes += count
    }
}
