import _CryptoExtras
import Crypto
package import Foundation

/// An RSA key pair for RS256 JWTs (Google service-account keys), wrapped so that targets using it
/// need not import `_CryptoExtras`.
package struct RS256SigningKey: Sendable, CustomStringConvertible {
    /// Never the key material: a provider holding the key may be printed by a log line.
    package var description: String { "RS256SigningKey(<redacted>)" }

    let key: _RSA.Signing.PrivateKey

    /// A PEM private key, PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`) as in Google key files.
    package init(pem: String) throws {
        self.key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
    }

    /// A fresh 2048-bit key.
    package static func generate() throws -> RS256SigningKey {
        RS256SigningKey(key: try _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    private init(key: _RSA.Signing.PrivateKey) { self.key = key }

    /// PKCS#8 PEM, the form Google writes into service-account key files.
    package var pkcs8PEM: String { self.key.pkcs8PEMRepresentation }

    package var verificationKey: RS256VerificationKey { RS256VerificationKey(key: self.key.publicKey) }

    func sign(_ input: Data) throws -> Data {
        try self.key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
    }
}

package struct RS256VerificationKey: Sendable {
    let key: _RSA.Signing.PublicKey

    package var pem: String { self.key.pemRepresentation }

    /// The key as a JSON Web Key (RFC 7517), for a JWKS document such as Entra's `keys` endpoint.
    package func jsonWebKey(keyID: String) -> [String: String]? {
        guard let primitives = try? self.key.getKeyPrimitives() else { return nil }
        return [
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": keyID,
            "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent),
        ]
    }

    func isValid(_ signature: Data, for input: Data) -> Bool {
        self.key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5)
    }
}

/// Compact JWS with RS256: what Google's JWT-bearer grant and ID tokens use.
package enum RS256JWT {
    /// `base64url(header).base64url(claims).base64url(signature)`. `claims` is serialised once,
    /// with sorted keys.
    package static func sign(claims: [String: JWTClaim], keyID: String?, key: RS256SigningKey) throws -> String {
        var header: [String: JWTClaim] = ["alg": .string("RS256"), "typ": .string("JWT")]
        if let keyID { header["kid"] = .string(keyID) }
        let input = Base64URL.encode(try Self.encode(header)) + "." + Base64URL.encode(try Self.encode(claims))
        return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
    }

    /// The claims of `token` when its header says RS256 and its signature verifies with `key`;
    /// `nil` otherwise. Claims are not checked here (time, audience): that is the caller's policy.
    package static func verifiedClaims(of token: String, key: RS256VerificationKey) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let claimsData = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any], header["alg"] as? String == "RS256",
            key.isValid(signature, for: Data("\(parts[0]).\(parts[1])".utf8))
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: claimsData)) as? [String: Any]
    }

    /// The claims of `token` without any verification (for reading what a client sent).
    package static func unverifiedClaims(of token: String) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[1]) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private static func encode(_ object: [String: JWTClaim]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object.mapValues(\.jsonObject), options: [.sortedKeys, .withoutEscapingSlashes])
    }
}

/// A claim value: the few JSON types JWT claims use.
package enum JWTClaim: Sendable, Equatable {
    case string(String)
    case int(Int64)
    /// An array of strings (`aud` may be one, as Kubernetes projects it).
    case strings([String])

    var jsonObject: Any {
        switch self {
        case .string(let value): return value
        case .int(let value): return value
        case .strings(let values): return values
        }
    }
}

/// RFC 4648 §5 base64url without padding, as JWTs use.
package enum Base64URL {
    package static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    package static func decode(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
