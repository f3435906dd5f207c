import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// The GCE metadata server, the OAuth2 token endpoint and the Vertex AI emulator.
@Suite("Google identity and Vertex AI emulators")
struct GoogleIdentityEmulatorTests {
    typealias Support = NativeEmulatorSupport
    static let flavor = [("Metadata-Flavor", "Google")]

    static func get(_ client: some TestClientProtocol, _ path: String, headers: [(String, String)] = flavor) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: Support.fields(headers))
    }

    static func postForm(_ client: some TestClientProtocol, _ fields: [(String, String)]) async throws -> TestResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try await client.execute(
            uri: "/token", method: .post, headers: Support.fields([("content-type", "application/x-www-form-urlencoded")]), body: ByteBuffer(string: body)
        )
    }

    static func assertion(claims: [String: JWTClaim], key: RS256SigningKey? = GoogleMockIdentity.signingKey) throws -> String {
        try RS256JWT.sign(claims: claims, keyID: GoogleMockIdentity.privateKeyID, key: try #require(key))
    }

    static func standardClaims(now: Date = Date(), audience: String = "https://oauth2.googleapis.com/token") -> [String: JWTClaim] {
        let issuedAt = Int64(now.timeIntervalSince1970)
        return [
            "iss": .string(GoogleMockIdentity.clientEmail), "aud": .string(audience), "scope": .string(GoogleMockIdentity.cloudPlatformScope),
            "iat": .int(issuedAt), "exp": .int(issuedAt + 3600),
        ]
    }

    @Test("the metadata server needs Metadata-Flavor: Google, echoes it, and serves the project, account and a scoped token")
    func metadata() async throws {
        try await Support.application(GoogleIdentityEmulator.makeRouter()).test(.router) { client in
            let refused = try await Self.get(client, "/computeMetadata/v1/project/project-id", headers: [])
            #expect(refused.status == .forbidden)
            let ping = try await Self.get(client, "/")
            #expect(ping.status == .ok)
            #expect(ping.headers[try #require(HTTPField.Name("Metadata-Flavor"))] == "Google")
            #expect(String(buffer: try await Self.get(client, "/computeMetadata/v1/project/project-id").body) == GoogleMockIdentity.projectID)
            #expect(String(buffer: try await Self.get(client, "/computeMetadata/v1/universe/universe-domain").body) == "googleapis.com")
            #expect(String(buffer: try await Self.get(client, "/computeMetadata/v1/instance/service-accounts/default/email").body) == GoogleMockIdentity.clientEmail)
            let info = try await Self.get(client, "/computeMetadata/v1/instance/service-accounts/default/?recursive=true")
            #expect(info.headers[.contentType] == "application/json")
            #expect(try Support.json(info)["email"] == .string(GoogleMockIdentity.clientEmail))

            let token = try Support.json(try await Self.get(client, "/computeMetadata/v1/instance/service-accounts/default/token"))
            #expect(token["token_type"] == "Bearer")
            #expect(token["expires_in"]?.intValue ?? 0 > 3000)
            #expect(GoogleMockIdentity.validateAccessToken(token["access_token"]?.stringValue ?? "") == nil)
            // Scopes asked for are the token's scopes: without cloud-platform, Vertex refuses it.
            let narrow = try Support.json(try await Self.get(client, "/computeMetadata/v1/instance/service-accounts/default/token?scopes=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email"))
            #expect(GoogleMockIdentity.validateAccessToken(narrow["access_token"]?.stringValue ?? "") == .insufficientScope)

            let identity = try await Self.get(client, "/computeMetadata/v1/instance/service-accounts/default/identity?audience=https%3A%2F%2Fexample.com&format=full")
            let signingKey = try #require(GoogleMockIdentity.signingKey)
            let claims = try #require(RS256JWT.verifiedClaims(of: String(buffer: identity.body), key: signingKey.verificationKey))
            #expect(claims["aud"] as? String == "https://example.com")
            #expect(try await Self.get(client, "/computeMetadata/v1/instance/service-accounts/default/identity").status == .badRequest)
        }
    }

    @Test("the token endpoint verifies a JWT-bearer assertion for real and answers Google's errors")
    func jwtBearer() async throws {
        let grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
        try await Support.application(GoogleIdentityEmulator.makeRouter()).test(.router) { client in
            let good = try await Self.postForm(client, [("grant_type", grant), ("assertion", try Self.assertion(claims: Self.standardClaims()))])
            #expect(good.status == .ok)
            let token = try Support.json(good)
            #expect(GoogleMockIdentity.validateAccessToken(token["access_token"]?.stringValue ?? "") == nil)

            let forged = try await Self.postForm(client, [("grant_type", grant), ("assertion", try Self.assertion(claims: Self.standardClaims(), key: try RS256SigningKey.generate()))])
            #expect(forged.status == .badRequest)
            #expect(try Support.json(forged) == ["error": "invalid_grant", "error_description": "Invalid JWT Signature."])

            let stale = try await Self.postForm(client, [("grant_type", grant), ("assertion", try Self.assertion(claims: Self.standardClaims(now: Date().addingTimeInterval(-7200))))])
            #expect(try Support.json(stale)["error"] == "invalid_grant")
            let wrongAudience = try await Self.postForm(client, [("grant_type", grant), ("assertion", try Self.assertion(claims: Self.standardClaims(audience: "https://evil.example/token")))])
            #expect(try Support.json(wrongAudience)["error_description"] == "Invalid JWT: Failed audience check.")
            var otherIssuer = Self.standardClaims()
            otherIssuer["iss"] = .string("someone@else.iam.gserviceaccount.com")
            #expect(try await Self.postForm(client, [("grant_type", grant), ("assertion", try Self.assertion(claims: otherIssuer))]).status == .badRequest)
        }
    }

    @Test("the refresh-token grant accepts the test client and refuses others")
    func refreshToken() async throws {
        try await Support.application(GoogleIdentityEmulator.makeRouter()).test(.router) { client in
            let good = try await Self.postForm(client, [
                ("grant_type", "refresh_token"), ("client_id", GoogleMockIdentity.userClientID), ("client_secret", GoogleMockIdentity.userClientSecret),
                ("refresh_token", GoogleMockIdentity.userRefreshToken),
            ])
            #expect(good.status == .ok)
            let bad = try await Self.postForm(client, [
                ("grant_type", "refresh_token"), ("client_id", GoogleMockIdentity.userClientID), ("client_secret", GoogleMockIdentity.userClientSecret), ("refresh_token", "nope"),
            ])
            #expect(try Support.json(bad)["error"] == "invalid_grant")
            let unsupported = try await Self.postForm(client, [("grant_type", "password")])
            #expect(try Support.json(unsupported)["error"] == "unsupported_grant_type")
        }
    }

    @Test("Vertex AI answers generateContent for a token the identity emulators issued, and 401 otherwise")
    func vertex() async throws {
        let path = "/v1/projects/\(GoogleMockIdentity.projectID)/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"
        let body: JSONValue = ["contents": [["role": "user", "parts": [["text": "Hello you"]]]]]
        try await Support.application(VertexAIEmulator.makeRouter()).test(.router) { client in
            let token = GoogleMockIdentity.issueAccessToken(scopes: [GoogleMockIdentity.cloudPlatformScope], lifetime: 60)
            let ok = try await Support.post(client, path, body, headers: [("authorization", "Bearer \(token)")])
            #expect(ok.status == .ok)
            #expect(try Support.json(ok)["candidates"]?.arrayValue?.first?["content"]?["parts"] == [["text": "Echo: Hello you"]])
            let stream = try await Support.post(client, path.replacingOccurrences(of: ":generateContent", with: ":streamGenerateContent?alt=sse"), body, headers: [("authorization", "Bearer \(token)")])
            #expect(String(buffer: stream.body).hasPrefix("data: "))

            let missing = try await Support.post(client, path, body, headers: [])
            #expect(missing.status == .unauthorized)
            #expect(try Support.json(missing)["error"]?["status"] == "UNAUTHENTICATED")
            let expired = GoogleMockIdentity.issueAccessToken(scopes: [GoogleMockIdentity.cloudPlatformScope], lifetime: -1)
            #expect(try await Support.post(client, path, body, headers: [("authorization", "Bearer \(expired)")]).status == .unauthorized)
            #expect(try await Support.post(client, path, body, headers: [("authorization", "Bearer ya29.forged")]).status == .unauthorized)
            #expect(try await Support.post(client, path, body, headers: [("x-goog-api-key", GeminiEmulator.apiKey)]).status == .unauthorized)
        }
    }

    @Test("the generated key file is a service_account file whose token_uri names the emulator")
    func keyFile() throws {
        let data = try GoogleMockIdentity.serviceAccountKeyFile(tokenURI: "http://127.0.0.1:9/token")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object["type"] == "service_account")
        #expect(object["token_uri"] == "http://127.0.0.1:9/token")
        #expect(object["client_email"] == GoogleMockIdentity.clientEmail)
        #expect(object["private_key"]?.hasPrefix("-----BEGIN PRIVATE KEY-----") == true)
        let key = try RS256SigningKey(pem: try #require(object["private_key"]))
        let token = try RS256JWT.sign(claims: ["a": .string("b")], keyID: nil, key: key)
        let signingKey = try #require(GoogleMockIdentity.signingKey)
        #expect(RS256JWT.verifiedClaims(of: token, key: signingKey.verificationKey) != nil)
    }

    @Test("the env file points google-auth and the proxy at the emulators without switching Gemini to Vertex")
    func environment() {
        let identity = EmulatorEndpoint(provider: GoogleIdentityEmulator.provider, host: "127.0.0.1", port: 9117, basePath: "", apiKey: "")
        let vertex = EmulatorEndpoint(provider: "vertex", host: "127.0.0.1", port: 9118, basePath: "", apiKey: "")
        let variables = Dictionary(MockEnvironment.variables(for: [identity, vertex]).map { ($0.name, $0.value) }) { first, _ in first }
        #expect(variables["GCE_METADATA_HOST"] == "127.0.0.1:9117")
        #expect(variables["GCE_METADATA_IP"] == "127.0.0.1:9117")
        #expect(variables["ARCHESTRA_GEMINI_VERTEX_AI_PROJECT"] == GoogleMockIdentity.projectID)
        #expect(variables["ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL"] == "http://127.0.0.1:9118")
        #expect(variables["ARCHESTRA_GEMINI_VERTEX_AI_ENABLED"] == nil)
    }
}
