import Foundation
import Gateway
import Testing
import WireFormats

@Suite("credential formats")
struct CredentialFormatTests {
    @Test("virtual key values are arch_ + 64 lowercase hex, with a 14-character token start")
    func virtualKeyValue() throws {
        let value = VirtualKeyValue.generate()
        let text = value.secret.exposedValue
        #expect(text.count == 69)
        #expect(VirtualKeyValue.isWellFormed(text))
        #expect(value.tokenStart == String(text.prefix(14)))
        #expect(VirtualKeyValue.generate() != value)
        #expect(!VirtualKeyValue.isWellFormed(text.uppercased()))
        #expect(!VirtualKeyValue.isWellFormed(String(text.dropLast())))
        #expect(!VirtualKeyValue.isWellFormed(text + "0"))
        #expect(!VirtualKeyValue.isWellFormed("archestra_" + String(repeating: "a", count: 64)))
        #expect(!VirtualKeyValue.isWellFormed("arch_" + String(repeating: "g", count: 64)))
        #expect(!"\(value)".contains(String(text.dropFirst(14))))
    }

    @Test("OAuth client ids, client secrets and access tokens have their prefixes and lengths")
    func oauthFormats() throws {
        let clientID = OAuthClientIdentifier.generate()
        #expect(clientID.hasPrefix("llm_oauth_") && clientID.count == 42)
        #expect(OAuthClientIdentifier.isWellFormed(clientID))
        #expect(!OAuthClientIdentifier.isWellFormed("llm_oauth_xyz"))

        let secret = OAuthClientSecret.generate().exposedValue
        #expect(secret.hasPrefix("llm_cs_") && secret.count == 50)
        #expect(OAuthClientSecret.isWellFormed(secret))
        #expect(!secret.contains("+") && !secret.contains("/") && !secret.contains("="))

        let token = OAuthAccessTokenValue.generate()
        let text = token.secret.exposedValue
        #expect(text.hasPrefix("llm_at_") && text.count == 50)
        #expect(OAuthAccessTokenValue.isWellFormed(text))
        #expect(!OAuthAccessTokenValue.isWellFormed(text + "A"))
        #expect(token.hash == OAuthAccessTokenValue.hash(of: text))
        #expect(token.hash.count == 43)
        #expect(token.hash != OAuthAccessTokenValue.generate().hash)
    }

    @Test("the access token hash is base64url of SHA-256, unpadded")
    func tokenHashVector() {
        // SHA-256("abc") = ba7816bf…15ad, whose base64url is this.
        #expect(OAuthAccessTokenValue.hash(of: "abc") == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")
    }

    @Test("constant-time comparison agrees with ==")
    func constantTime() {
        #expect(ConstantTimeComparison.areEqual("arch_abc", "arch_abc"))
        #expect(!ConstantTimeComparison.areEqual("arch_abc", "arch_abd"))
        #expect(!ConstantTimeComparison.areEqual("arch_abc", "arch_abcd"))
        #expect(!ConstantTimeComparison.areEqual("", "a"))
        #expect(ConstantTimeComparison.areEqual("", ""))
    }

    @Test("descriptions of secrets and provider keys never show the value")
    func descriptions() {
        let secret = Secret("sk-super-secret")
        let key = ProviderKey(
            id: UUID(), provider: "openai", name: "n", secret: secret, baseURL: nil, extraHeaders: [:], isPrimary: true, createdAt: Date()
        )
        for text in ["\(secret)", String(reflecting: secret), "\(key)", String(reflecting: key), dumped(key), "\([key])"] {
            #expect(!text.contains("sk-super-secret"), "\(text)")
        }
        #expect("\(key)".contains("openai"))
    }

    private func dumped(_ value: some Any) -> String {
        var out = ""
        dump(value, to: &out)
        return out
    }
}
