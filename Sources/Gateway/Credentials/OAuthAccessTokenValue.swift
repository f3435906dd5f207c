import Crypto
package import WireFormats

/// An opaque LLM OAuth access token: `llm_at_` + base64url (no padding) of 32 random bytes.
/// Only ``hash`` is stored.
package struct OAuthAccessTokenValue: Sendable, Hashable, CustomStringConvertible {
    package static let prefix = "llm_at_"
    static let encodedLength = 43

    package let secret: Secret

    /// Wraps a value that ``isWellFormed(_:)``; `nil` otherwise.
    package init?(_ value: String) {
        guard Self.isWellFormed(value) else { return nil }
        self.secret = Secret(value)
    }

    private init(unchecked value: String) {
        self.secret = Secret(value)
    }

    package static func generate() -> OAuthAccessTokenValue {
        OAuthAccessTokenValue(unchecked: Self.prefix + RandomBytes.base64URL(RandomBytes.generate(count: 32)))
    }

    package static func isWellFormed(_ value: String) -> Bool {
        value.hasPrefix(Self.prefix, followedBy: Self.encodedLength, of: CredentialAlphabet.isBase64URL)
    }

    /// base64url(SHA-256(value)), unpadded: the stored form and the lookup key. A fast hash is
    /// enough here (unlike client secrets) because the token carries 256 random bits.
    package var hash: String { Self.hash(of: self.secret.exposedValue) }

    package static func hash(of value: String) -> String {
        RandomBytes.base64URL(SHA256.hash(data: Array(value.utf8)))
    }

    package var description: String { "\(Self.prefix)…" }
}
