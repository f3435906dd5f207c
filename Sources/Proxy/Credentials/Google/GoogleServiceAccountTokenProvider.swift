package import Foundation
package import WireFormats
import NIOHTTP1

/// A service-account key file: an RS256 JWT signed with the file's key is exchanged for an access
/// token at the file's `token_uri` (the OAuth2 JWT-bearer grant, RFC 7523).
package struct GoogleServiceAccountTokenProvider: GoogleTokenProvider {
    package static let jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    let clientEmail: String
    let privateKeyID: String?
    /// Never logged or described.
    let key: RS256SigningKey
    let tokenURI: String
    let scopes: [String]
    let caBundle: String?
    let timeout: Duration
    let now: @Sendable () -> Date
    package let sourceName: String

    package init(
        clientEmail: String, privateKeyID: String?, key: RS256SigningKey, tokenURI: String, scopes: [String],
        sourceName: String, caBundle: String? = nil, timeout: Duration = .seconds(10), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.clientEmail = clientEmail
        self.privateKeyID = privateKeyID
        self.key = key
        self.tokenURI = tokenURI
        self.scopes = scopes
        self.sourceName = sourceName
        self.caBundle = caBundle
        self.timeout = timeout
        self.now = now
    }

    /// The grant's assertion. `aud` is the token endpoint it is sent to: Google's own
    /// `https://oauth2.googleapis.com/token` for a real key file.
    package func assertion(at date: Date) throws(ProxyError) -> String {
        let issuedAt = Int64(date.timeIntervalSince1970)
        let claims: [String: JWTClaim] = [
            "iss": .string(self.clientEmail), "aud": .string(self.tokenURI), "scope": .string(self.scopes.joined(separator: " ")),
            "iat": .int(issuedAt), "exp": .int(issuedAt + 3600),
        ]
        do {
            return try RS256JWT.sign(claims: claims, keyID: self.privateKeyID, key: self.key)
        } catch {
            throw .googleCredentialsUnavailable(source: self.sourceName, reason: "the key file's private key cannot sign")
        }
    }

    package func fetch() async throws(ProxyError) -> GoogleAccessToken {
        let now = self.now()
        let form = [("grant_type", Self.jwtBearerGrant), ("assertion", try self.assertion(at: now))]
        let answer = try await GoogleTokenResponse.post(form, to: self.tokenURI, timeout: self.timeout, caBundle: self.caBundle, source: self.sourceName)
        return try GoogleTokenResponse.parse(answer.body, status: answer.status, source: self.sourceName, now: now)
    }
}

/// An `authorized_user` file (`gcloud auth application-default login`): the refresh-token grant.
package struct GoogleAuthorizedUserTokenProvider: GoogleTokenProvider {
    let clientID: String
    /// `Secret`s, so that printing the provider never shows them.
    let clientSecret: Secret
    let refreshToken: Secret
    let tokenURI: String
    let caBundle: String?
    let timeout: Duration
    package let sourceName: String

    package init(clientID: String, clientSecret: String, refreshToken: String, tokenURI: String, sourceName: String, caBundle: String? = nil, timeout: Duration = .seconds(10)) {
        self.clientID = clientID
        self.clientSecret = Secret(clientSecret)
        self.refreshToken = Secret(refreshToken)
        self.tokenURI = tokenURI
        self.sourceName = sourceName
        self.caBundle = caBundle
        self.timeout = timeout
    }

    package func fetch() async throws(ProxyError) -> GoogleAccessToken {
        let now = Date()
        let answer = try await GoogleTokenResponse.post(
            [("grant_type", "refresh_token"), ("client_id", self.clientID), ("client_secret", self.clientSecret.exposedValue), ("refresh_token", self.refreshToken.exposedValue)],
            to: self.tokenURI, timeout: self.timeout, caBundle: self.caBundle, source: self.sourceName
        )
        return try GoogleTokenResponse.parse(answer.body, status: answer.status, source: self.sourceName, now: now)
    }
}

/// The GCE metadata server (Compute Engine, Cloud Run, GKE Workload Identity):
/// `GET /computeMetadata/v1/instance/service-accounts/default/token` with `Metadata-Flavor: Google`.
package struct GoogleMetadataTokenProvider: GoogleTokenProvider {
    /// `GCE_METADATA_HOST` (host[:port], no scheme), default `metadata.google.internal`.
    let host: String
    let scopes: [String]
    let timeout: Duration

    package var sourceName: String { "the GCE metadata server (\(self.host))" }

    package init(host: String, scopes: [String], timeout: Duration = .seconds(3)) {
        self.host = host
        self.scopes = scopes
        self.timeout = timeout
    }

    package var tokenURL: String {
        let scopes = self.scopes.joined(separator: ",").addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        return "http://\(self.host)/computeMetadata/v1/instance/service-accounts/default/token?scopes=\(scopes)"
    }

    package func fetch() async throws(ProxyError) -> GoogleAccessToken {
        let now = Date()
        let answer: IdentityHTTPClient.Answer
        do {
            answer = try await IdentityHTTPClient.withClient(trusting: nil) { http throws(IdentityHTTPClient.Failure) in
                try await http.send(.GET, url: self.tokenURL, headers: [("Metadata-Flavor", "Google")], timeout: self.timeout)
            }
        } catch {
            throw .googleCredentialsUnavailable(source: self.sourceName, reason: error.reason)
        }
        // Anything that is not the metadata server (a captive portal, a different service on the
        // port) does not echo the flavor header.
        if answer.status == 200, answer.headers.first(name: "metadata-flavor") != "Google" {
            throw .googleCredentialsUnavailable(source: self.sourceName, reason: "the answer lacks Metadata-Flavor: Google, so it is not a metadata server")
        }
        return try GoogleTokenResponse.parse(answer.body, status: answer.status, source: self.sourceName, now: now)
    }
}
