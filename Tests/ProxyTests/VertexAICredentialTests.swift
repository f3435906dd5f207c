import Foundation
import MockProviders
import Proxy
import Synchronization
import Testing
import WireFormats

/// Keyless Google: the Vertex AI URL layout, Application Default Credentials' order, the
/// JWT-bearer assertion, and the token cache.
@Suite(.timeLimit(.minutes(1)))
struct VertexAICredentialTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-vertex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func write(_ object: [String: String], to url: URL) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    static func serviceAccountFile(in directory: URL, tokenURI: String = "https://oauth2.googleapis.com/token") throws -> String {
        let url = directory.appendingPathComponent("sa-\(UUID().uuidString).json")
        try GoogleMockIdentity.serviceAccountKeyFile(tokenURI: tokenURI).write(to: url)
        return url.path
    }

    static func authorizedUserFile(at url: URL) throws {
        try Self.write(["type": "authorized_user", "client_id": "c", "client_secret": "s", "refresh_token": "r"], to: url)
    }

    // MARK: URL layout

    @Test("AI Studio paths become the Vertex AI form; alt=sse is kept and key= dropped", arguments: [
        ("/v1beta/models/gemini-2.5-flash:generateContent", nil as String?, "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"),
        ("/v1/models/gemini-2.5-flash:streamGenerateContent", "alt=sse&key=AIza-secret", "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse"),
        ("/v1beta/models/models/gemini-2.5-pro:generateContent", "key=AIza", "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent"),
        ("/v1beta1/projects/other/locations/eu/publishers/google/models/gemini-2.5-flash:generateContent", nil, "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"),
    ])
    func vertexURL(path: String, query: String?, expected: String) throws {
        let resolver = VertexAIURLResolver(project: "p-1", location: "us-central1")
        #expect(try resolver.upstreamURL(baseURL: "https://generativelanguage.googleapis.com", operationPath: path, query: query, summary: RequestSummary()) == expected)
    }

    @Test("the endpoint is regional, global has no region, and ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL overrides it")
    func endpoints() throws {
        #expect(VertexAIURLResolver.defaultEndpoint(location: "europe-west4") == "https://europe-west4-aiplatform.googleapis.com")
        #expect(VertexAIURLResolver.defaultEndpoint(location: "global") == "https://aiplatform.googleapis.com")
        let configuration = try ProxyConfiguration(environment: [
            "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true", "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT": "proj", "ARCHESTRA_GEMINI_VERTEX_AI_LOCATION": "global",
            "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL": "http://127.0.0.1:9/", "GCE_METADATA_HOST": "127.0.0.1:1",
        ])
        let gemini = try #require(configuration.provider(id: "gemini"))
        #expect(gemini.authorizer is GoogleOAuthAuthorizer)
        let url = try gemini.upstreamURL.upstreamURL(baseURL: gemini.baseURL ?? "", operationPath: "/v1beta/models/m:generateContent", query: nil, summary: RequestSummary())
        #expect(url == "http://127.0.0.1:9/v1/projects/proj/locations/global/publishers/google/models/m:generateContent")
    }

    @Test("only generateContent and streamGenerateContent are served in Vertex mode")
    func otherOperationsRefused() {
        let resolver = VertexAIURLResolver(project: "p", location: "us-central1")
        let error = #expect(throws: ProxyError.self) {
            try resolver.upstreamURL(baseURL: "", operationPath: "/v1beta/models/m:embedContent", query: nil, summary: RequestSummary())
        }
        #expect(error?.status.code == 404)
    }

    @Test("without the flag, Gemini stays on AI Studio with a key")
    func disabledByDefault() throws {
        let configuration = try ProxyConfiguration(environment: ["ARCHESTRA_GEMINI_VERTEX_AI_PROJECT": "proj"])
        let gemini = try #require(configuration.provider(id: "gemini"))
        #expect(!(gemini.authorizer is GoogleOAuthAuthorizer))
        let url = try gemini.upstreamURL.upstreamURL(baseURL: "https://g", operationPath: "/v1beta/models/m:generateContent", query: "key=k", summary: RequestSummary())
        #expect(url == "https://g/v1beta/models/m:generateContent?key=k")
    }

    // MARK: configuration errors

    @Test("Vertex mode without a project fails at start-up, naming the variable")
    func projectRequired() {
        let error = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(environment: ["ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true"])
        }
        #expect(error?.variable == "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT")
    }

    @Test("a misconfigured credentials file fails at start-up, naming the variable and never the contents", arguments: [
        ("missing", "cannot be read"), ("notjson", "not a JSON object"), ("external", "'external_account'"), ("nokey", "'private_key'"), ("badkey", "not an RSA PEM key"),
    ])
    func badCredentialsFile(kind: String, problem: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials.json")
        switch kind {
        case "notjson": try Data("secret-not-json".utf8).write(to: file)
        case "external": try Self.write(["type": "external_account", "audience": "a"], to: file)
        case "nokey": try Self.write(["type": "service_account", "client_email": "e"], to: file)
        case "badkey": try Self.write(["type": "service_account", "client_email": "e", "private_key": "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n"], to: file)
        default: break
        }
        let error = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(environment: [
                "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true", "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT": "p",
                "ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE": file.path,
            ])
        }
        #expect(error?.variable == "ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE")
        #expect(error?.problem.contains(problem) == true)
        #expect(error?.description.contains("secret") == false)
        #expect(error?.description.contains("c2VjcmV0") == false)
    }

    // MARK: ADC order

    @Test("Application Default Credentials are taken in the standard order")
    func adcOrder() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let archestraFile = try Self.serviceAccountFile(in: directory)
        let standardFile = try Self.serviceAccountFile(in: directory)
        let gcloud = directory.appendingPathComponent("gcloud")
        try FileManager.default.createDirectory(at: gcloud, withIntermediateDirectories: true)
        try Self.authorizedUserFile(at: gcloud.appendingPathComponent("application_default_credentials.json"))
        let home = directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/gcloud"), withIntermediateDirectories: true)
        try Self.authorizedUserFile(at: home.appendingPathComponent(".config/gcloud/application_default_credentials.json"))

        func source(_ values: [String: String]) throws -> String {
            try GoogleApplicationDefaultCredentials.provider(from: ProviderEnvironment(values: values, baseURL: nil)).sourceName
        }
        #expect(try source(["ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE": archestraFile, "GOOGLE_APPLICATION_CREDENTIALS": standardFile, "CLOUDSDK_CONFIG": gcloud.path])
            == "the credentials file ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE (service account)")
        #expect(try source(["GOOGLE_APPLICATION_CREDENTIALS": standardFile, "CLOUDSDK_CONFIG": gcloud.path])
            == "the credentials file GOOGLE_APPLICATION_CREDENTIALS (service account)")
        #expect(try source(["CLOUDSDK_CONFIG": gcloud.path, "HOME": home.path]).hasPrefix("gcloud's application default credentials (\(gcloud.path)"))
        #expect(try source(["HOME": home.path]).hasPrefix("gcloud's application default credentials (\(home.path)/.config/gcloud/"))
        #expect(try source(["HOME": directory.path, "GCE_METADATA_HOST": "127.0.0.1:8089"]) == "the GCE metadata server (127.0.0.1:8089)")
        #expect(try source([:]) == "the GCE metadata server (metadata.google.internal)")
    }

    // MARK: the assertion

    @Test("the JWT-bearer assertion is RS256 over the standard claims and verifies with the key file's public key")
    func assertionClaims() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.serviceAccountFile(in: directory, tokenURI: "http://127.0.0.1:1/token")
        let provider = try #require(
            try GoogleApplicationDefaultCredentials.provider(from: ProviderEnvironment(values: ["GOOGLE_APPLICATION_CREDENTIALS": file], baseURL: nil))
                as? GoogleServiceAccountTokenProvider
        )
        let issuedAt = Date(timeIntervalSince1970: 1_800_000_000)
        let assertion = try provider.assertion(at: issuedAt)
        let key = try #require(GoogleMockIdentity.signingKey).verificationKey
        let claims = try #require(RS256JWT.verifiedClaims(of: assertion, key: key))
        #expect(claims["iss"] as? String == GoogleMockIdentity.clientEmail)
        #expect(claims["aud"] as? String == "http://127.0.0.1:1/token")
        #expect(claims["scope"] as? String == "https://www.googleapis.com/auth/cloud-platform")
        #expect((claims["iat"] as? Int) == 1_800_000_000)
        #expect((claims["exp"] as? Int) == 1_800_003_600)
        let header = try #require(Base64URL.decode(assertion.split(separator: ".")[0]))
        let headerObject = try #require(try JSONSerialization.jsonObject(with: header) as? [String: String])
        #expect(headerObject == ["alg": "RS256", "typ": "JWT", "kid": GoogleMockIdentity.privateKeyID])
        // Another key does not verify it, and a changed claim breaks the signature.
        #expect(RS256JWT.verifiedClaims(of: assertion, key: try RS256SigningKey.generate().verificationKey) == nil)
        let parts = assertion.split(separator: ".")
        let forged = "\(parts[0]).\(Base64URL.encode(Data(#"{"iss":"x"}"#.utf8))).\(parts[2])"
        #expect(RS256JWT.verifiedClaims(of: forged, key: key) == nil)
    }

    // MARK: the cache

    final class Clock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        func now() -> Date { Date(timeIntervalSince1970: 1_800_000_000 + self.offset.withLock { $0 }) }
        func advance(by seconds: TimeInterval) { self.offset.withLock { $0 += seconds } }
    }

    final class CountingTokens: GoogleTokenProvider {
        let fetches = Mutex(0)
        let clock: Clock
        let lifetime: TimeInterval
        let gate: AsyncStream<Void>?
        let failAfter: Int
        var sourceName: String { "test tokens" }

        init(clock: Clock, lifetime: TimeInterval, gate: AsyncStream<Void>? = nil, failAfter: Int = .max) {
            self.clock = clock
            self.lifetime = lifetime
            self.gate = gate
            self.failAfter = failAfter
        }

        func fetch() async throws(ProxyError) -> GoogleAccessToken {
            let count = self.fetches.withLock { value in
                value += 1
                return value
            }
            if let gate {
                var iterator = gate.makeAsyncIterator()
                _ = await iterator.next()
            }
            if count > self.failAfter { throw .googleCredentialsUnavailable(source: self.sourceName, reason: "the endpoint answered 400: invalid_grant") }
            return GoogleAccessToken(token: "token-\(count)", expiration: self.clock.now().addingTimeInterval(self.lifetime))
        }
    }

    @Test("a short-lived token is reused until it enters the refresh window, then refreshed before it expires")
    func refreshBeforeExpiry() async throws {
        let clock = Clock()
        let tokens = CountingTokens(clock: clock, lifetime: 60)
        let authorizer = GoogleOAuthAuthorizer(provider: tokens, refreshWindow: 20, now: { clock.now() })
        #expect(try await authorizer.accessToken().token == "token-1")
        clock.advance(by: 30)
        #expect(try await authorizer.accessToken().token == "token-1")
        clock.advance(by: 15)  // 15 s left: inside the window, refreshed while still valid
        #expect(try await authorizer.accessToken().token == "token-2")
        #expect(tokens.fetches.withLock { $0 } == 2)
    }

    @Test("concurrent requests share one token refresh")
    func singleFlight() async throws {
        let clock = Clock()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let tokens = CountingTokens(clock: clock, lifetime: 3600, gate: gate)
        let authorizer = GoogleOAuthAuthorizer(provider: tokens, now: { clock.now() })
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await authorizer.accessToken().token } }
            open.yield()
            open.finish()
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(values) == ["token-1"])
        #expect(tokens.fetches.withLock { $0 } == 1)
    }

    @Test("a failed refresh keeps a still-valid token; once it expires the failure is a 502 naming the source")
    func failedRefresh() async throws {
        let clock = Clock()
        let tokens = CountingTokens(clock: clock, lifetime: 100, failAfter: 1)
        let authorizer = GoogleOAuthAuthorizer(provider: tokens, refreshWindow: 50, now: { clock.now() })
        #expect(try await authorizer.accessToken().token == "token-1")
        clock.advance(by: 60)
        #expect(try await authorizer.accessToken().token == "token-1")
        clock.advance(by: 60)
        let error = await #expect(throws: ProxyError.self) { try await authorizer.accessToken() }
        #expect(error?.status.code == 502)
        #expect(error?.message.contains("test tokens") == true)
        #expect(error?.message.contains("invalid_grant") == true)
    }

    @Test("expires_in is read as a number or as a string")
    func expiresInForms() throws {
        let tokens = [#"{"access_token":"a","expires_in":3599,"token_type":"Bearer"}"#, #"{"access_token":"a","expires_in":"3599","token_type":"Bearer"}"#]
        for body in tokens {
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let token = try GoogleTokenResponse.parse(body, status: 200, source: "s", now: now)
            #expect(token.expiration == now.addingTimeInterval(3599))
        }
    }
}
