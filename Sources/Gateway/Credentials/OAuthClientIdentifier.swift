/// An LLM OAuth client's public `client_id`: `llm_oauth_` + 32 lowercase hex digits.
package enum OAuthClientIdentifier {
    package static let prefix = "llm_oauth_"
    static let hexDigitCount = 32

    package static func generate() -> String {
        Self.prefix + RandomBytes.lowercaseHex(RandomBytes.generate(count: Self.hexDigitCount / 2))
    }

    package static func isWellFormed(_ value: String) -> Bool {
        value.hasPrefix(Self.prefix, followedBy: Self.hexDigitCount, of: CredentialAlphabet.isLowercaseHex)
    }
}
