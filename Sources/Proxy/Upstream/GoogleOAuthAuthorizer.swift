package import Foundation
import NIOHTTP1

/// Vertex AI's keyless mode: every upstream request carries `Authorization: Bearer <token>` from
/// Application Default Credentials, cached and refreshed before expiry. Whatever credential the
/// client sent (an AI Studio key, its own bearer token) is dropped: the proxy's identity is used.
package struct GoogleOAuthAuthorizer: UpstreamAuthorizer {
    let tokens: ExpiringCredentialCache<GoogleAccessToken>
    package let sourceName: String

    /// Tokens are refreshed once within `refreshWindow` of expiry (google-auth uses about 4 min).
    package init(provider: any GoogleTokenProvider, refreshWindow: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sourceName = provider.sourceName
        self.tokens = ExpiringCredentialCache(sourceName: provider.sourceName, refreshWindow: refreshWindow, now: now) {
            () async throws(ProxyError) -> GoogleAccessToken in
            try await provider.fetch()
        }
    }

    package func accessToken() async throws(ProxyError) -> GoogleAccessToken {
        try await self.tokens.credential()
    }

    package var obtainsOwnCredentials: Bool { true }

    package func authorize(_ request: inout UpstreamRequest, credential: UpstreamCredential) async throws(ProxyError) -> CredentialSource {
        request.headers.remove(name: "x-goog-api-key")
        let token = try await self.tokens.credential()
        request.headers.replaceOrAdd(name: "authorization", value: "Bearer \(token.token)")
        return .workloadIdentity
    }
}
