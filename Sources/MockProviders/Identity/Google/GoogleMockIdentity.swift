import Crypto
package import Foundation
package import WireFormats

/// The Google identities the emulators issue and accept: one service account (whose key the
/// token endpoint verifies assertions against), one `authorized_user` client, and access tokens.
///
/// Access tokens are stateless, like the AWS emulators' credentials: expiry and scopes under an
/// HMAC with a key drawn once per process, so the metadata server and the token endpoint issue
/// tokens the Vertex AI emulator accepts without a shared table, and a forged one is refused.
package enum GoogleMockIdentity {
    package static let projectID = "archestra-mock-project"
    package static let projectNumber = "123456789012"
    package static let clientEmail = "archestra-mock@archestra-mock-project.iam.gserviceaccount.com"
    package static let serviceAccountClientID = "109876543210987654321"
    /// The `authorized_user` test client (refresh-token grant). Values with no meaning elsewhere.
    package static let userClientID = "archestra-mock-client.apps.googleusercontent.com"
    package static let userClientSecret = "archestra-mock-client-secret"
    package static let userRefreshToken = "1//archestra-mock-refresh-token"
    package static let cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"
    /// The audience google-auth always puts in its assertions, whatever `token_uri` says.
    package static let googleTokenAudiences: Set<String> = [
        "https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token", "https://accounts.google.com/o/oauth2/token",
    ]

    /// The service account's key, drawn once per process.
    package static let signingKey: RS256SigningKey? = try? RS256SigningKey.generate()
    package static let privateKeyID: String = {
        let bytes = (0..<20).map { _ in UInt8.random(in: 0...255) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }()

    private static let macKey = SymmetricKey(size: .bits256)
    private static let tokenPrefix = "ya29.ArchestraMock"

    /// An access token for `scopes`, valid for `lifetime` seconds from `now`.
    package static func issueAccessToken(scopes: [String], lifetime: TimeInterval, now: Date = Date()) -> String {
        let expiry = Int64((now.timeIntervalSince1970 + lifetime).rounded(.down))
        let scopeText = Base64URL.encode(Data(scopes.joined(separator: " ").utf8))
        return "\(Self.tokenPrefix).\(expiry).\(scopeText).\(Self.mac("\(expiry)|\(scopeText)"))"
    }

    package enum Rejection: Error, Equatable {
        case invalid
        case expired
        /// Valid, but without the cloud-platform scope.
        case insufficientScope
    }

    /// Checks a bearer token this process issued, for an API that needs `cloud-platform`.
    package static func validateAccessToken(_ token: String, now: Date = Date()) -> Rejection? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, "\(parts[0]).\(parts[1])" == Self.tokenPrefix, let expiry = Int64(parts[2]),
            ConstantTimeComparison.areEqual(String(parts[4]), Self.mac("\(expiry)|\(parts[3])"))
        else { return .invalid }
        guard TimeInterval(expiry) > now.timeIntervalSince1970 else { return .expired }
        let scopes = Base64URL.decode(parts[3]).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        guard scopes.split(separator: " ").contains(where: { $0 == Self.cloudPlatformScope }) else { return .insufficientScope }
        return nil
    }

    /// A Google-style ID token (RS256, signed by the service account's key) for `audience`.
    package static func idToken(audience: String, lifetime: TimeInterval = 3600, now: Date = Date()) throws -> String {
        guard let key = Self.signingKey else { throw GoogleMockIdentityError.noKey }
        let issuedAt = Int64(now.timeIntervalSince1970)
        return try RS256JWT.sign(
            claims: [
                "iss": .string("https://accounts.google.com"), "aud": .string(audience), "azp": .string(Self.serviceAccountClientID),
                "sub": .string(Self.serviceAccountClientID), "email": .string(Self.clientEmail), "email_verified": .string("true"),
                "iat": .int(issuedAt), "exp": .int(issuedAt + Int64(lifetime)),
            ],
            keyID: Self.privateKeyID, key: key
        )
    }

    /// A `service_account` key file for the emulator's key, its `token_uri` at the token emulator.
    package static func serviceAccountKeyFile(tokenURI: String) throws -> Data {
        guard let key = Self.signingKey else { throw GoogleMockIdentityError.noKey }
        let object: [String: String] = [
            "type": "service_account", "project_id": Self.projectID, "private_key_id": Self.privateKeyID,
            "private_key": key.pkcs8PEM, "client_email": Self.clientEmail, "client_id": Self.serviceAccountClientID,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": tokenURI,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs", "universe_domain": "googleapis.com",
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Writes the key file (mode 0600) into `directory` and returns its path, for
    /// `GOOGLE_APPLICATION_CREDENTIALS`.
    package static func writeServiceAccountKeyFile(into directory: URL, tokenURI: String) throws -> String {
        let destination = directory.appendingPathComponent("archestra-mock-google-service-account.json")
        try Self.serviceAccountKeyFile(tokenURI: tokenURI).write(to: destination, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination.path)
        return destination.path
    }

    static func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: Self.macKey).map { String(format: "%02x", $0) }.joined()
    }
}

package enum GoogleMockIdentityError: Error {
    /// The service account key could not be generated.
    case noKey
}
