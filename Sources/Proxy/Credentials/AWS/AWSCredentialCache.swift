package import Foundation
package import WireFormats

/// Temporary credentials from one provider, cached and refreshed before they expire.
///
/// Credentials are refreshed once they are within `refreshWindow` of expiry. While a refresh is
/// in flight every caller waits for that same refresh: at most one identity call at a time,
/// however many requests arrive. If a refresh fails while the cached credentials are still
/// valid, those are used (and the next request tries again); once they are expired, the failure
/// is the caller's error.
package actor AWSCredentialCache {
    let provider: any AWSCredentialProvider
    let refreshWindow: TimeInterval
    let now: @Sendable () -> Date
    private var current: SigV4Credentials?
    /// Unstructured on purpose: it is shared by every waiting request, and one of them being
    /// cancelled (its client went away) must not cancel the refresh the others are waiting for.
    private var refreshing: Task<SigV4Credentials, any Error>?

    package init(provider: any AWSCredentialProvider, refreshWindow: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.refreshWindow = refreshWindow
        self.now = now
    }

    package var sourceName: String { self.provider.sourceName }

    package func credentials() async throws(ProxyError) -> SigV4Credentials {
        let now = self.now()
        if let current = self.current, !Self.isDue(current, now: now, window: self.refreshWindow) {
            return current
        }
        let task: Task<SigV4Credentials, any Error>
        if let inFlight = self.refreshing {
            task = inFlight
        } else {
            let provider = self.provider
            task = Task { try await provider.fetch() }
            self.refreshing = task
        }
        do {
            let fresh = try await task.value
            if self.refreshing == task {
                self.refreshing = nil
                self.current = fresh
            }
            return fresh
        } catch {
            if self.refreshing == task { self.refreshing = nil }
            if let current = self.current, let expiration = current.expiration, expiration > self.now() {
                return current
            }
            throw (error as? ProxyError) ?? .upstreamCredentialsUnavailable(source: self.provider.sourceName, reason: "the refresh failed")
        }
    }

    static func isDue(_ credentials: SigV4Credentials, now: Date, window: TimeInterval) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now) <= window
    }
}
