package import Foundation
import WireFormats

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
    static let signingKey: RS256SigningKey? = try? RS256SigningKey.generate()

    // MARK: Issuing

    /// An access token as Entra issues it for the client-credentials grant (a v1 token, as
    /// Azure AI resources get): `aud` is the resource.
    package static func accessToken(resource: String, clientID: String = clientID, now: Date = Date(), lifetime: Int = accessTokenLifetime) -> String? {
        let iat = Int64(now.timeIntervalSince1970)
        return Self.sign([
            "aud": .string(resource), "iss": .string("https://sts.windows.net/\(tenantID)/"), "iat": .int(iat), "nbf": .int(iat),
            "exp": .int(iat + Int64(lifetime)), "appid": .string(clientID), "azp": .string(clientID), "tid": .string(tenantID),
            "oid": .string(objectID), "sub": .string(objectID), "idtyp": .string("app"), "ver": .string("1.0"),
        ])
    }

    /// The service-account token a Kubernetes cluster would project into the pod, for
    /// `AZURE_FEDERATED_TOKEN_FILE`.
    package static func federatedToken(now: Date = Date(), lifetime: Int = 86400) -> String? {
        let iat = Int64(now.timeIntervalSince1970)
        return Self.sign([
            "iss": .string(federatedIssuer), "sub": .string(federatedSubject), "aud": .strings([federatedAudience]),
            "iat": .int(iat), "nbf": .int(iat), "exp": .int(iat + Int64(lifetime)),
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

    static func sign(_ claims: [String: JWTClaim]) -> String? {
        guard let key = Self.signingKey else { return nil }
        return try? RS256JWT.sign(claims: claims, keyID: Self.keyID, key: key)
    }

    /// The public key as a JWK, for the JWKS document.
    package static var jsonWebKey: [String: String]? {
        Self.signingKey?.verificationKey.jsonWebKey(keyID: Self.keyID)
    }

    // MARK: Verifying

    /// The claims of a JWT signed by this authority's key, or `nil` for anything else (not a
    /// JWT, another algorithm, a bad signature).
    package static func verifiedClaims(_ token: String) -> [String: Any]? {
        guard let key = Self.signingKey else { return nil }
        return RS256JWT.verifiedClaims(of: token, key: key.verificationKey)
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
