import Foundation
import Hummingbird
import MockProviders
import Proxy
import WireFormats
import Synchronization
import Testing
import TestSupport

/// Keyless Azure: the credential chain's order and its refusals, the scope per URL form, the
/// per-scope token cache (refresh before expiry, one refresh in flight), and the token sources
/// against the Entra and managed-identity emulators over loopback HTTP.
@Suite(.timeLimit(.minutes(1)))
struct AzureEntraCredentialTests {
    // MARK: Chain

    static let tenant = EntraMockTokenAuthority.tenantID
    static let client = EntraMockTokenAuthority.clientID

    static func environment(_ values: [String: String]) -> ProviderEnvironment {
        ProviderEnvironment(values: values, baseURL: "https://r.openai.azure.com/openai")
    }

    @Test("the chain takes the first configured source: client secret, workload identity, App Service, IMDS", arguments: [
        (["AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client, "AZURE_CLIENT_SECRET": "s", "AZURE_FEDERATED_TOKEN_FILE": "/t", "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token", "IDENTITY_HEADER": "h"],
         "environment (client secret, AZURE_CLIENT_SECRET)"),
        (["AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client, "AZURE_FEDERATED_TOKEN_FILE": "/t", "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token", "IDENTITY_HEADER": "h"],
         "workload identity (AZURE_FEDERATED_TOKEN_FILE)"),
        (["IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token", "IDENTITY_HEADER": "h", "AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://127.0.0.1:2"],
         "managed identity (App Service IDENTITY_ENDPOINT)"),
        ([:], "managed identity (instance metadata service)"),
    ])
    func chainOrder(values: [String: String], expected: String) throws {
        #expect(try AzureCredentialChain.source(from: Self.environment(values)).sourceName == expected)
    }

    @Test("a misconfigured source fails at start-up naming the missing or wrong variable", arguments: [
        (["AZURE_CLIENT_SECRET": "s", "AZURE_TENANT_ID": tenant], "AZURE_CLIENT_ID"),
        (["AZURE_FEDERATED_TOKEN_FILE": "/t", "AZURE_CLIENT_ID": client], "AZURE_TENANT_ID"),
        (["IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token"], "IDENTITY_HEADER"),
        (["AZURE_CLIENT_SECRET": "s", "AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client, "AZURE_AUTHORITY_HOST": "http://login.example.com"], "AZURE_AUTHORITY_HOST"),
        (["AZURE_CLIENT_CERTIFICATE_PATH": "/cert.pem", "AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client], "AZURE_CLIENT_CERTIFICATE_PATH"),
    ])
    func misconfigured(values: [String: String], variable: String) {
        #expect {
            _ = try AzureCredentialChain.source(from: Self.environment(values))
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test("resource and deployment URLs take the Cognitive Services scope, Foundry v1 URLs the AI Foundry scope", arguments: [
        ("https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", AzureScope.cognitiveServices),
        ("https://r.openai.azure.com/openai/responses?api-version=2025-04-01-preview", AzureScope.cognitiveServices),
        ("https://r.services.ai.azure.com/openai/v1/chat/completions", AzureScope.aiFoundry),
        ("https://r.services.ai.azure.com/openai/v1/responses", AzureScope.aiFoundry),
    ])
    func scopePerURL(url: String, scope: String) {
        #expect(AzureScope.forAzureOpenAI(url: url) == scope)
    }

    @Test("the Entra flags replace the start-up refusal: the proxy configures with only the flag and the base URL")
    func flagsConfigure() throws {
        _ = try ProxyConfiguration(environment: [
            "ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED": "true", "ARCHESTRA_AZURE_OPENAI_BASE_URL": "https://r.openai.azure.com/openai",
            "ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED": "true", "ARCHESTRA_ANTHROPIC_BASE_URL": "https://r.services.ai.azure.com/anthropic",
            "AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://127.0.0.1:9",
        ])
    }

    // MARK: Cache

    final class TestClock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func now() -> Date { self.start.addingTimeInterval(self.offset.withLock { $0 }) }
        func advance(by seconds: TimeInterval) { self.offset.withLock { $0 += seconds } }
    }

    /// Counts fetches per scope; tokens live `lifetime` seconds on the test clock.
    final class CountingSource: AzureTokenSource {
        let fetches = Mutex<[String]>([])
        let clock: TestClock
        let lifetime: TimeInterval
        let gate: AsyncStream<Void>?
        let failing = Mutex(false)
        var sourceName: String { "test source" }

        init(clock: TestClock, lifetime: TimeInterval, gate: AsyncStream<Void>? = nil) {
            self.clock = clock
            self.lifetime = lifetime
            self.gate = gate
        }

        func token(scope: String) async throws(ProxyError) -> AzureAccessToken {
            let count = self.fetches.withLock { fetches in
                fetches.append(scope)
                return fetches.count
            }
            if let gate {
                var iterator = gate.makeAsyncIterator()
                _ = await iterator.next()
            }
            if self.failing.withLock({ $0 }) { throw .entraTokenUnavailable(source: self.sourceName, reason: "Entra ID answered 503") }
            let now = self.clock.now()
            return AzureAccessToken(token: "token-\(count)-\(scope)", expiration: now.addingTimeInterval(self.lifetime), obtained: now)
        }
    }

    @Test("tokens are cached per scope")
    func perScope() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock, lifetime: 3600)
        let cache = AzureTokenCache(source: source, now: { clock.now() })
        let first = try await cache.token(scope: AzureScope.cognitiveServices)
        let second = try await cache.token(scope: AzureScope.aiFoundry)
        #expect(try await cache.token(scope: AzureScope.cognitiveServices).token == first.token)
        #expect(try await cache.token(scope: AzureScope.aiFoundry).token == second.token)
        #expect(source.fetches.withLock { $0 } == [AzureScope.cognitiveServices, AzureScope.aiFoundry])
    }

    @Test("an hour-long token is refreshed 5 minutes before expiry; a 60 s token at half its life")
    func refreshBeforeExpiry() async throws {
        let clock = TestClock()
        let long = CountingSource(clock: clock, lifetime: 3600)
        let cache = AzureTokenCache(source: long, refreshWindow: 300, now: { clock.now() })
        let first = try await cache.token(scope: AzureScope.aiFoundry).token
        clock.advance(by: 3200)
        #expect(try await cache.token(scope: AzureScope.aiFoundry).token == first)
        clock.advance(by: 150)  // 250 s left: refreshed while still valid
        #expect(try await cache.token(scope: AzureScope.aiFoundry).token != first)

        let shortClock = TestClock()
        let short = CountingSource(clock: shortClock, lifetime: 60)
        let shortCache = AzureTokenCache(source: short, refreshWindow: 300, now: { shortClock.now() })
        let token = try await shortCache.token(scope: AzureScope.aiFoundry).token
        shortClock.advance(by: 20)
        #expect(try await shortCache.token(scope: AzureScope.aiFoundry).token == token)
        shortClock.advance(by: 15)  // past half its life, still 25 s valid
        #expect(try await shortCache.token(scope: AzureScope.aiFoundry).token != token)
        #expect(short.fetches.withLock { $0.count } == 2)
    }

    @Test("concurrent requests share one refresh")
    func singleFlight() async throws {
        let clock = TestClock()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let source = CountingSource(clock: clock, lifetime: 3600, gate: gate)
        let cache = AzureTokenCache(source: source, now: { clock.now() })
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.token(scope: AzureScope.cognitiveServices).token } }
            open.yield()
            open.finish()
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(tokens).count == 1)
        #expect(source.fetches.withLock { $0.count } == 1)
    }

    @Test("a failed refresh keeps the still-valid token; once expired the failure is a 502 naming the source")
    func failedRefresh() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock, lifetime: 600)
        let cache = AzureTokenCache(source: source, refreshWindow: 300, now: { clock.now() })
        let token = try await cache.token(scope: AzureScope.aiFoundry).token
        source.failing.withLock { $0 = true }
        clock.advance(by: 400)
        #expect(try await cache.token(scope: AzureScope.aiFoundry).token == token)
        clock.advance(by: 300)
        await #expect(throws: ProxyError.entraTokenUnavailable(source: "test source", reason: "Entra ID answered 503")) {
            try await cache.token(scope: AzureScope.aiFoundry)
        }
        #expect(ProxyError.entraTokenUnavailable(source: "s", reason: "r").status == .badGateway)
    }

    // MARK: Sources against the emulators

    static func withEntra<Value: Sendable>(_ body: (String) async throws -> Value) async throws -> Value {
        try await withRunningServices({ reportPort in
            [
                Application(
                    router: EntraIDEmulator.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await reportPort($0.localAddress?.port ?? 0) }
                )
            ]
        }) { port in try await body("http://127.0.0.1:\(port)") }
    }

    static func withManagedIdentity<Value: Sendable>(_ body: (String) async throws -> Value) async throws -> Value {
        try await withRunningServices({ reportPort in
            [
                Application(
                    router: AzureManagedIdentityEmulator.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await reportPort($0.localAddress?.port ?? 0) }
                )
            ]
        }) { port in try await body("http://127.0.0.1:\(port)") }
    }

    static func audience(_ token: AzureAccessToken) -> String? {
        EntraMockTokenAuthority.verifiedClaims(token.token)?["aud"] as? String
    }

    @Test("client secret: Entra issues a token whose audience is the scope's resource")
    func clientSecret() async throws {
        try await Self.withEntra { authority in
            let source = try AzureCredentialChain.source(from: Self.environment([
                "AZURE_AUTHORITY_HOST": authority, "AZURE_TENANT_ID": Self.tenant, "AZURE_CLIENT_ID": Self.client,
                "AZURE_CLIENT_SECRET": EntraMockTokenAuthority.clientSecret,
            ]))
            let token = try await source.token(scope: AzureScope.cognitiveServices)
            #expect(Self.audience(token) == "https://cognitiveservices.azure.com")
            let expiration = try #require(token.expiration)
            #expect(expiration.timeIntervalSinceNow > 3000)
        }
    }

    @Test("a wrong client secret is a 502 with Entra's AADSTS code, never the secret")
    func wrongSecret() async throws {
        try await Self.withEntra { authority in
            let source = EntraClientCredentialsTokenSource(
                authorityHost: authority, tenantID: Self.tenant, clientID: Self.client, proof: .clientSecret(Secret("wrong-secret-value-42"))
            )
            do {
                _ = try await source.token(scope: AzureScope.aiFoundry)
                Issue.record("a wrong secret was accepted")
            } catch let error as ProxyError {
                #expect(error.status == .badGateway)
                #expect(error.message.contains("environment (client secret, AZURE_CLIENT_SECRET)"))
                #expect(error.message.contains("401 invalid_client: AADSTS7000215"))
                #expect(!error.message.contains("wrong-secret-value-42"))
                #expect(!error.message.contains("Trace ID"))
            }
        }
    }

    @Test("workload identity: the federated token file (surrounding whitespace trimmed) is exchanged; a forged one is refused")
    func workloadIdentity() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entra-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("token")
        try Data("  \(try #require(EntraMockTokenAuthority.federatedToken()))\n".utf8).write(to: file)
        try await Self.withEntra { authority in
            let source = EntraClientCredentialsTokenSource(
                authorityHost: authority, tenantID: Self.tenant, clientID: Self.client, proof: .federatedTokenFile(file.path)
            )
            #expect(Self.audience(try await source.token(scope: AzureScope.aiFoundry)) == "https://ai.azure.com")
            // Same claims, signature of another token: Entra's AADSTS50013.
            let genuine = try #require(EntraMockTokenAuthority.federatedToken())
            let other = try #require(EntraMockTokenAuthority.accessToken(resource: "https://ai.azure.com"))
            let forged = genuine.split(separator: ".")[0...1].joined(separator: ".") + "." + String(other.split(separator: ".")[2])
            try Data(forged.utf8).write(to: file)
            await #expect {
                _ = try await source.token(scope: AzureScope.aiFoundry)
            } throws: { error in
                (error as? ProxyError)?.message.contains("AADSTS50013") == true
            }
            try FileManager.default.removeItem(at: file)
            await #expect {
                _ = try await source.token(scope: AzureScope.aiFoundry)
            } throws: { error in
                (error as? ProxyError)?.message.contains("AZURE_FEDERATED_TOKEN_FILE cannot be read") == true
            }
        }
    }

    @Test("managed identity: IMDS and App Service answer string expiries, which are honoured")
    func managedIdentity() async throws {
        try await Self.withManagedIdentity { base in
            let imds = try AzureCredentialChain.source(from: Self.environment(["AZURE_POD_IDENTITY_AUTHORITY_HOST": base]))
            let token = try await imds.token(scope: AzureScope.cognitiveServices)
            #expect(Self.audience(token) == "https://cognitiveservices.azure.com")
            #expect(try #require(token.expiration).timeIntervalSinceNow > 80000)
            let appService = try AzureCredentialChain.source(from: Self.environment([
                "IDENTITY_ENDPOINT": base + "/msi/token", "IDENTITY_HEADER": EntraMockTokenAuthority.identityHeader,
            ]))
            let appToken = try await appService.token(scope: AzureScope.aiFoundry)
            #expect(Self.audience(appToken) == "https://ai.azure.com")
            #expect(try #require(appToken.expiration).timeIntervalSinceNow > 80000)
            let wrongHeader = AzureManagedIdentityTokenSource(endpoint: .appService(url: base + "/msi/token", identityHeader: "nope"), clientID: nil)
            await #expect {
                _ = try await wrongHeader.token(scope: AzureScope.aiFoundry)
            } throws: { error in
                let message = (error as? ProxyError)?.message ?? ""
                return message.contains("App Service IDENTITY_ENDPOINT") && message.contains("answered 401") && !message.contains("nope")
            }
            let unknownIdentity = AzureManagedIdentityTokenSource(endpoint: .instanceMetadata(base: base), clientID: "not-assigned")
            await #expect {
                _ = try await unknownIdentity.token(scope: AzureScope.aiFoundry)
            } throws: { error in
                (error as? ProxyError)?.message.contains("400 invalid_request: Identity not found") == true
            }
        }
    }

    @Test("an identity endpoint that never answers is a bounded 502, not a hang")
    func noAnswer() async throws {
        let (release, releaseAll) = AsyncStream.makeStream(of: Void.self)
        try await withUpstream({ router in
            router.get("/metadata/identity/oauth2/token") { _, _ in
                for await _ in release {}
                return "late"
            }
        }) { port in
            let source = AzureManagedIdentityTokenSource(endpoint: .instanceMetadata(base: "http://127.0.0.1:\(port)"), clientID: nil, timeout: .milliseconds(300))
            await #expect(throws: ProxyError.entraTokenUnavailable(source: "managed identity (instance metadata service)", reason: "no answer within 300 ms")) {
                try await source.token(scope: AzureScope.aiFoundry)
            }
            releaseAll.finish()
        }
    }

    // MARK: Through the proxy

    static func bearerAudience(_ echo: ForwardingTests.Echo) -> String? {
        guard let value = echo.headers["authorization"]?.first, value.hasPrefix("Bearer ") else { return nil }
        return EntraMockTokenAuthority.verifiedClaims(String(value.dropFirst("Bearer ".count)))?["aud"] as? String
    }

    @Test("through the proxy: the client's keys are dropped and an Entra token goes upstream, scoped per URL form", arguments: [
        ("/openai", "https://cognitiveservices.azure.com"), ("/openai/v1", "https://ai.azure.com"),
    ])
    func throughTheProxy(basePath: String, audience: String) async throws {
        try await Self.withManagedIdentity { identity in
            let echo = try await CompatAzureTests().echo(
                "/v1/azure/chat/completions", json: #"{"model":"gpt-4o","messages":[]}"#,
                environment: { port in
                    [
                        "ARCHESTRA_AZURE_OPENAI_BASE_URL": "http://127.0.0.1:\(port)\(basePath)",
                        "ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED": "true", "AZURE_POD_IDENTITY_AUTHORITY_HOST": identity,
                        "ARCHESTRA_CHAT_AZURE_OPENAI_API_KEY": "fallback-key",
                    ]
                },
                key: "client-key", headers: [("api-key", "client-api-key")]
            )
            #expect(echo.headers["api-key"] == nil)
            #expect(echo.headers["authorization"]?.count == 1)
            #expect(Self.bearerAudience(echo) == audience)
        }
    }

    @Test("through the proxy: Anthropic on Foundry sends an https://ai.azure.com token instead of x-api-key")
    func anthropicThroughTheProxy() async throws {
        try await Self.withManagedIdentity { identity in
            try await withUpstream(ForwardingTests.echoUpstream) { port in
                let (response, text) = try await CompatAzureTests().send(
                    openAIRequest("/v1/anthropic/v1/messages", json: #"{"model":"claude-haiku-4-5","max_tokens":8,"messages":[]}"#, key: nil, headers: [("x-api-key", "client-key")]),
                    environment: [
                        "ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)/anthropic",
                        "ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED": "true", "AZURE_POD_IDENTITY_AUTHORITY_HOST": identity,
                    ],
                    upstreamPort: port
                )
                #expect(response.status == .ok, "\(text)")
                let echo = try JSONDecoder().decode(ForwardingTests.Echo.self, from: Data(text.utf8))
                #expect(echo.path == "/anthropic/v1/messages")
                #expect(echo.headers["x-api-key"] == nil)
                #expect(Self.bearerAudience(echo) == "https://ai.azure.com")
            }
        }
    }

    @Test("through the proxy: an unreachable identity endpoint is a 502 in the route's error shape naming the source")
    func unreachableThroughTheProxy() async throws {
        let closedPort = try await withUpstream({ _ in }) { $0 }
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            let (response, text) = try await CompatAzureTests().send(
                openAIRequest("/v1/azure/chat/completions", json: #"{"model":"gpt-4o","messages":[]}"#),
                environment: [
                    "ARCHESTRA_AZURE_OPENAI_BASE_URL": "http://127.0.0.1:\(port)/openai", "ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED": "true",
                    "IDENTITY_ENDPOINT": "http://127.0.0.1:\(closedPort)/msi/token", "IDENTITY_HEADER": "header-secret-value",
                ],
                upstreamPort: port
            )
            #expect(response.status == .badGateway)
            #expect(text.contains(#""error":{"#))
            #expect(text.contains("Could not obtain a Microsoft Entra ID token from managed identity (App Service IDENTITY_ENDPOINT)"))
            #expect(!text.contains("header-secret-value"))
        }
    }
}
