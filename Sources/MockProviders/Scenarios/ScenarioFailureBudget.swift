import Synchronization

/// Counts requests per scenario spec so that `fail-count=N` fails only the first N of them.
///
/// One budget per emulator instance; the key is ``MockScenario/spec``, so two tests that must not
/// share a budget add any distinguishing parameter (`id=test-a`).
package final class ScenarioFailureBudget: Sendable {
    private let seen: Mutex<[String: Int]> = Mutex([:])

    package init() {}

    /// Whether this request should fail: always without `fail-count`, otherwise only for the first
    /// `fail-count` requests that carried the same spec.
    package func shouldFail(_ scenario: MockScenario) throws(MockScenarioParseError) -> Bool {
        guard scenario.parameters["fail-count"] != nil else { return true }
        let limit = try scenario.integer("fail-count", default: 0)
        return self.seen.withLock { seen in
            let count = seen[scenario.spec, default: 0]
            seen[scenario.spec] = count + 1
            return count < limit
        }
    }
}
