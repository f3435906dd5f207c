package import Foundation

/// A credential that may expire (an OAuth access token, temporary cloud keys).
package protocol ExpiringCredential: Sendable {
    /// `nil`: never expires, never refreshed.
    var expiration: Date? { get }
    /// When to refresh, given the cache's refresh window; `nil` never.
    func refreshDate(window: TimeInterval) -> Date?
}

extension ExpiringCredential {
    package func refreshDate(window: TimeInterval) -> Date? {
        self.expiration.map { $0.addingTimeInterval(-window) }
    }
}

/// One credential from one fetch function, cached and refreshed before it expires.
///
/// Refreshed once within `refreshWindow` of expiry (``ExpiringCredential/refreshDate(window:)``);
/// while a refresh is in flight every caller waits for that same refresh, so there is at most
/// one identity call at a time however many requests arrive; a failed refresh falls back to the
/// cached credential while it is still valid (and the next request tries again). Used for AWS
/// credentials (``AWSCredentialCache``), Entra ID tokens (``AzureCredentialChain``) and Google
/// access tokens (``GoogleOAuthAuthorizer``).
package actor ExpiringCredentialCache<Credential: ExpiringCredential> {
    package typealias Fetch = @Sendable () async throws(ProxyError) -> Credential

    let fetch: Fetch
    let sourceName: String
    /// The error for a failure that is not a ``ProxyError`` (a cancelled refresh).
    let failure: ProxyError
    let refreshWindow: TimeInterval
    let now: @Sendable () -> Date
    private var current: Credential?
    /// Unstructured on purpose: shared by every waiting request, so one cancelled client cannot
    /// cancel the refresh the others wait for.
    private var refreshing: Task<Credential, any Error>?

    package init(
        sourceName: String, failure: ProxyError? = nil, refreshWindow: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.sourceName = sourceName
        self.failure = failure ?? ProxyError(code: .upstreamUnreachable, message: "Could not obtain credentials from \(sourceName).")
        self.refreshWindow = refreshWindow
        self.now = now
    }

    package func credential() async throws(ProxyError) -> Credential {
        if let current = self.current, !Self.isDue(current, now: self.now(), window: self.refreshWindow) {
            return current
        }
        let task: Task<Credential, any Error>
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
            return fresh
        } catch {
            if self.refreshing == task { self.refreshing = nil }
            if let current = self.current, let expiration = current.expiration, expiration > self.now() {
                return current
            }
            throw (error as? ProxyError) ?? self.failure
        }
    }

    static func isDue(_ credential: Credential, now: Date, window: TimeInterval) -> Bool {
        guard let refresh = credential.refreshDate(window: window) else { return false }
        return refresh <= now
    }
}
