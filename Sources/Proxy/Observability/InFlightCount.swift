import Synchronization

/// A count of things in progress, read by a metrics gauge at scrape time: two relaxed atomic
/// operations on the request path, whether metrics are on or not.
package final class InFlightCount: Sendable {
    private let value = Atomic<Int>(0)

    package init() {}

    package func increment() { self.value.add(1, ordering: .relaxed) }
    package func decrement() { self.value.subtract(1, ordering: .relaxed) }
    package var current: Int { self.value.load(ordering: .relaxed) }
}
