import Crypto
import Foundation

/// Encrypts the secrets the store must give back (provider keys, virtual key values) with
/// AES-256-GCM under the key ``SecretKeySource`` supplies.
///
/// Stored form: `v1:` + base64(nonce ‖ ciphertext ‖ tag), with a fresh random 12-byte nonce per
/// value. The version prefix leaves room for a new algorithm or key rotation. Each value is
/// bound to where it is stored (its `context`, such as the row id) as additional authenticated
/// data, so a ciphertext copied into another row does not decrypt.
package struct SecretBox: Sendable {
    static let versionPrefix = "v1:"
    package static let keyByteCount = 32

    private let key: SymmetricKey

    /// - Throws: ``SecretKeyError`` when `rawKey` is not 32 bytes.
    package init(rawKey: [UInt8]) throws(SecretKeyError) {
        guard rawKey.count == Self.keyByteCount else {
            throw SecretKeyError(.wrongKeyLength, "a secret key must be exactly \(Self.keyByteCount) bytes, not \(rawKey.count)")
        }
        self.key = SymmetricKey(data: rawKey)
    }

    /// A box under a new random key, for in-memory databases that do not outlive the process.
    package static func ephemeral() -> SecretBox {
        SecretBox(key: SymmetricKey(size: .bits256))
    }

    private init(key: SymmetricKey) {
        self.key = key
    }

    package func seal(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Array(plaintext.utf8), using: self.key, authenticating: Array(context.utf8))
        // `combined` is nonce ‖ ciphertext ‖ tag; it is non-nil for the default 12-byte nonce.
        guard let combined = box.combined else {
            throw GatewayStoreError.engine("AES-GCM produced no combined representation")
        }
        return Self.versionPrefix + combined.base64EncodedString()
    }

    /// - Throws: ``GatewayStoreError/undecryptableSecret(_:)`` when the value is not in a known
    ///   format or was sealed under another key or context.
    package func open(_ sealed: String, context: String) throws(GatewayStoreError) -> String {
        guard sealed.hasPrefix(Self.versionPrefix), let combined = Data(base64Encoded: String(sealed.dropFirst(Self.versionPrefix.count))) else {
            throw .undecryptableSecret("a stored secret is not in a format this archestra knows")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plaintext = try AES.GCM.open(box, using: self.key, authenticating: Array(context.utf8))
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw .undecryptableSecret(
                "a stored secret cannot be decrypted with the configured secret key; was ARCHESTRA_SECRET_KEY or the database's key file changed?"
            )
        }
    }
}
