package import Foundation
package import WireFormats

/// Temporary AWS credentials from one provider, cached and refreshed before they expire: an
/// ``ExpiringCredentialCache`` (one refresh in flight, shared by every waiting request, and the
/// cached credentials used while a failed refresh leaves them valid).
package struct AWSCredentialCache: Sendable {
    let provider: any AWSCredentialProvider
    let cache: ExpiringCredentialCache<SigV4Credentials>

    package init(provider: any AWSCredentialProvider, refreshWindow: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.cache = ExpiringCredentialCache(
            sourceName: provider.sourceName,
            failure: .upstreamCredentialsUnavailable(source: provider.sourceName, reason: "the refresh failed"),
            refreshWindow: refreshWindow, now: now
        ) { () async throws(ProxyError) -> SigV4Credentials in
            try await provider.fetch()
        }
    }

    package var sourceName: String { self.provider.sourceName }

    package func credentials() async throws(ProxyError) -> SigV4Credentials {
        try await self.cache.credential()
    }
}

extension SigV4Credentials: ExpiringCredential {}
