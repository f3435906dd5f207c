import Crypto
package import WireFormats

/// An opaque LLM OAuth access token: `llm_at_` + base64url (no padding) of 32 random bytes.
/// Only ``hash`` is stored.
package struct OAuthAccessTokenValue: PrefixedCredentialValue {
    package static let prefix = "llm_at_"
    package static let encoding = CredentialEncoding.base64URL

    package let secret: Secret

    package init(_ checked: WellFormedCredential) {
        self.secret = checked.secret
    }

    /// base64url(SHA-256(value)), unpadded: the stored form and the lookup key. A fast hash is
    /// enough here (unlike client secrets) because the token carries 256 random bits.
    package var hash: String { Self.hash(of: self.secret.exposedValue) }

    package static func hash(of value: String) -> String {
        RandomBytes.base64URL(SHA256.hash(data: Array(value.utf8)))
    }

    package var description: String { "\(Self.prefix)…" }
}
