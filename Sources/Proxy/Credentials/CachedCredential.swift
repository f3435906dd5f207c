package import Foundation

/// A credential that expires (an OAuth access token), fetched by `fetch`, cached, and refreshed
/// once it is within `refreshWindow` of its expiry.
///
/// While a refresh is in flight every caller waits for that same refresh, so there is at most one
/// identity call at a time however many requests arrive. If a refresh fails while the cached value
/// is still valid, it is used (the next request tries again); otherwise the failure is the
/// caller's error.
package actor CachedCredential<Value: Sendable> {
    package typealias Fetch = @Sendable () async throws(ProxyError) -> (value: Value, expiration: Date?)

    let fetch: Fetch
    let refreshWindow: TimeInterval
    let now: @Sendable () -> Date
    private var current: (value: Value, expiration: Date?)?
    /// Unstructured on purpose: shared by every waiting request, so one cancelled request (its
    /// client went away) does not cancel the refresh the others wait for.
    private var refreshing: Task<(value: Value, expiration: Date?), any Error>?

    package init(refreshWindow: TimeInterval, now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.refreshWindow = refreshWindow
        self.now = now
    }

    package func value() async throws(ProxyError) -> Value {
        if let current = self.current, !self.isDue(current.expiration) { return current.value }
        let task: Task<(value: Value, expiration: Date?), any Error>
        if let inFlight = self.refreshing {
            task = inFlight
        } else {
            let fetch = self.fetch
            task = Task { try await fetch() }
            self.refreshing = task
        }
        do {
            let fresh = try await task.value
            if self.refreshing == task {
                self.refreshing = nil
                self.current = fresh
            }
            return fresh.value
        } catch {
            if self.refreshing == task { self.refreshing = nil }
            if let current = self.current, let expiration = current.expiration, expiration > self.now() { return current.value }
            throw (error as? ProxyError) ?? .internalFailure
        }
    }

    private func isDue(_ expiration: Date?) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(self.now()) <= self.refreshWindow
    }
}
