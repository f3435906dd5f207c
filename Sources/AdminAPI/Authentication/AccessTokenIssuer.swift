package import Foundation
package import Gateway
package import WireFormats

/// Exchanges an OAuth client's credentials for an access token: what the token endpoint needs
/// from the gateway, and no more, so that the endpoint can be tested against a fake.
/// ``GatewayDirectory`` is the real one.
package protocol AccessTokenIssuer: Sendable {
    /// A new `llm_at_…` token for the client, stored hashed; `nil` for an unknown, revoked or
    /// wrongly authenticated client (the caller cannot and must not tell which).
    func issueAccessToken(clientID: String, secret: Secret, scope: String, lifetime: Duration, now: Date) async throws -> IssuedAccessToken?
}

extension GatewayDirectory: AccessTokenIssuer {}
