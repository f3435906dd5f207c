package import WireFormats

/// An LLM OAuth client's secret: `llm_cs_` + base64url (no padding) of 32 random bytes.
///
/// 50 bytes in all, under bcrypt's 72-byte limit, so the whole secret is hashed.
package enum OAuthClientSecret {
    package static let prefix = "llm_cs_"
    /// base64url of 32 bytes, unpadded.
    static let encodedLength = 43

    package static func generate() -> Secret {
        Secret(Self.prefix + RandomBytes.base64URL(RandomBytes.generate(count: 32)))
    }

    package static func isWellFormed(_ value: String) -> Bool {
        value.hasPrefix(Self.prefix, followedBy: Self.encodedLength, of: CredentialAlphabet.isBase64URL)
    }
}
