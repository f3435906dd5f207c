package import Foundation
package import WireFormats

/// What a virtual key presented on a request turned out to be.
package enum VirtualKeyAuthentication: Sendable, Hashable {
    case valid(VirtualKey)
    /// Known, but past its `expiresAt`: the caller answers 401 "expired" rather than "invalid".
    case expired(VirtualKey)
    case revoked(VirtualKey)
    /// Malformed, or no key has this value.
    case unknown
}

/// What a bearer token presented as an LLM OAuth access token turned out to be.
package enum AccessTokenAuthentication: Sendable, Hashable {
    case valid(OAuthAccessToken, OAuthClient)
    case expired
    /// Malformed, never issued, deleted, or its client was revoked.
    case unknown
}

/// A newly issued access token: the only time its value exists outside the client.
package struct IssuedAccessToken: Sendable, Hashable {
    package var value: Secret
    /// Seconds until it expires, as `expires_in` reports it.
    package var expiresIn: Int
    package var expiresAt: Date
    package var scope: String

    package init(value: Secret, expiresIn: Int, expiresAt: Date, scope: String) {
        self.value = value
        self.expiresIn = expiresIn
        self.expiresAt = expiresAt
        self.scope = scope
    }
}
