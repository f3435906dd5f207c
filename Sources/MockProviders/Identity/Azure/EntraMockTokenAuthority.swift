package import Foundation
import Crypto
import _CryptoExtras

/// The emulated Entra tenant: its test identities, and the one RS256 key (drawn once per
/// process) that signs every token the Entra and managed-identity emulators issue, which the
/// Azure OpenAI and Anthropic emulators verify. Values have no meaning outside the emulators.
package enum EntraMockTokenAuthority {
    package static let tenantID = "a7c4e5a0-0000-4000-8000-00000000a001"
    package static let clientID = "a7c4e5a0-0000-4000-8000-00000000c001"
    /// Never logged.
    package static let clientSecret = "archestra-mock-entra-client-secret~0001"
    /// The App Service `IDENTITY_HEADER`; never logged.
    package static let identityHeader = "archestra-mock-identity-header"
    /// The object id of the app's service principal (`oid` in issued tokens).
    static let objectID = "a7c4e5a0-0000-4000-8000-00000000d001"
    /// The federated identity credential configured on the app: a Kubernetes service account of
    /// an emulated cluster, as AKS workload identity sets up.
    package static let federatedIssuer = "https://oidc.archestra-mock.local/cluster"
    package static let federatedSubject = "system:serviceaccount:default:archestra-proxy"
    package static let federatedAudience = "api://AzureADTokenExchange"
    /// Resources tokens can be issued for (scope minus `/.default`).
    package static let knownResources: Set<String> = [
        "https://cognitiveservices.azure.com", "https://ai.azure.com", "https://management.azure.com", "https://graph.microsoft.com",
    ]
    /// Seconds an access token lives (Entra's `expires_in` is 3599 for app tokens).
    package static let accessTokenLifetime = 3599

    static let keyID = "archestra-mock-entra-key"
    static let signingKey: _RSA.Signing.PrivateKey? = try? _RSA.Signing.PrivateKey(keySize: .bits2048)

    // MARK: Issuing

    /// An access token as Entra issues it for the client-credentials grant (a v1 token, as
    /// Azure AI resources get): `aud` is the resource.
    package static func accessToken(resource: String, clientID: String = clientID, now: Date = Date(), lifetime: Int = accessTokenLifetime) -> String? {
        let iat = Int(now.timeIntervalSince1970)
        return Self.sign([
            "aud": resource, "iss": "https://sts.windows.net/\(tenantID)/", "iat": iat, "nbf": iat, "exp": iat + lifetime,
            "appid": clientID, "azp": clientID, "tid": tenantID, "oid": objectID, "sub": objectID, "idtyp": "app", "ver": "1.0",
        ])
    }

    /// The service-account token a Kubernetes cluster would project into the pod, for
    /// `AZURE_FEDERATED_TOKEN_FILE`.
    package static func federatedToken(now: Date = Date(), lifetime: Int = 86400) -> String? {
        let iat = Int(now.timeIntervalSince1970)
        return Self.sign([
            "iss": federatedIssuer, "sub": federatedSubject, "aud": [federatedAudience], "iat": iat, "nbf": iat, "exp": iat + lifetime,
        ])
    }

    /// Writes a fresh federated token beside the CA bundle (next to the env file under `mock up`)
    /// and returns its path.
    package static func writeFederatedTokenFile() -> String? {
        guard let token = Self.federatedToken() else { return nil }
        let directory = MockCertificateAuthority.bundlePath.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? FileManager.default.temporaryDirectory
        let file = directory.appendingPathComponent("archestra-mock-azure-federated-token")
        guard (try? Data(token.utf8).write(to: file, options: .atomic)) != nil else { return nil }
        return file.path
    }

    static func sign(_ claims: [String: Any]) -> String? {
        guard let key = Self.signingKey,
            let header = try? JSONSerialization.data(withJSONObject: ["alg": "RS256", "typ": "JWT", "kid": keyID], options: [.sortedKeys]),
            let payload = try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        else { return nil }
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        guard let signature = try? key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5) else { return nil }
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The public key as a JWK, for the JWKS document.
    package static var jsonWebKey: [String: String]? {
        guard let primitives = try? Self.signingKey?.publicKey.getKeyPrimitives() else { return nil }
        return ["kty": "RSA", "use": "sig", "alg": "RS256", "kid": keyID, "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent)]
    }

    // MARK: Verifying

    /// The claims of a JWT signed by this authority's key, or `nil` for anything else (not a
    /// JWT, another algorithm, a bad signature).
    package static func verifiedClaims(_ token: String) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let key = Self.signingKey,
            let headerData = Base64URL.decode(String(parts[0])),
            let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any], header["alg"] as? String == "RS256",
            let signatureBytes = Base64URL.decode(String(parts[2])), let payload = Base64URL.decode(String(parts[1]))
        else { return nil }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
        guard key.publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8), padding: .insecurePKCS1v1_5) else { return nil }
        return (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any]
    }

    /// Whether `token` is an unexpired access token from this authority for one of `audiences`.
    package static func acceptsAccessToken(_ token: String, audiences: Set<String>, now: Date = Date()) -> Bool {
        guard let claims = Self.verifiedClaims(token), let audience = claims["aud"] as? String, audiences.contains(audience),
            let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp > now.timeIntervalSince1970,
            claims["iss"] as? String == "https://sts.windows.net/\(tenantID)/"
        else { return false }
        return true
    }

    /// Whether a bearer value looks like a JWT rather than an API key.
    package static func looksLikeJWT(_ value: String) -> Bool {
        value.hasPrefix("eyJ") && value.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }
}

/// base64url without padding (RFC 7515 §2).
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
