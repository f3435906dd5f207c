import Foundation
import Gateway
import HTTPTypes
import NIOCore
import Proxy
import Testing
import WireFormats

/// Each pipeline step alone, over plain values: no server, no store, no upstream.
struct PipelineStepTests {
    /// A directory of fixed values; counts lookups so tests can tell when a step did not look.
    final class FixedDirectory: CredentialDirectory, @unchecked Sendable {
        var virtualKeys: [String: VirtualKeyAuthentication] = [:]
        var tokens: [String: AccessTokenAuthentication] = [:]
        var profiles: [UUID: Profile] = [:]
        var keys: [UUID: ProviderKey] = [:]
        var failing = false
        var lookups = 0
        let defaultProfileValue = Profile(id: UUID(), name: "default", kind: .profile, isDefault: true, createdAt: Date())

        func authenticateVirtualKey(_ value: String, now: Date) async throws -> VirtualKeyAuthentication {
            self.lookups += 1
            if self.failing { throw GatewayStoreError.engine("down") }
            return self.virtualKeys[value] ?? .unknown
        }
        func authenticateAccessToken(_ value: String, now: Date) async throws -> AccessTokenAuthentication {
            self.lookups += 1
            return self.tokens[value] ?? .unknown
        }
        func defaultProfile() async throws -> Profile { self.defaultProfileValue }
        func profile(id: UUID) async throws -> Profile? {
            self.lookups += 1
            return self.profiles[id]
        }
        func providerKey(id: UUID) async throws -> ProviderKey? { self.keys[id] }
        func primaryProviderKey(provider: String) async throws -> ProviderKey? { self.keys.values.first { $0.provider == provider && $0.isPrimary } }
        func modelLists() async throws -> [ModelList] { [] }
    }

    static let configuration: ProxyConfiguration = {
        // The force-try is test set-up of a constant environment.
        try! ProxyConfiguration(environment: ["ARCHESTRA_VLLM_BASE_URL": "http://vllm.test/v1"])
    }()

    static func exchange(
        provider: String = "openai",
        path: String = "/v1/openai/chat/completions",
        query: String? = nil,
        headers: HTTPFields = [.contentType: "application/json"],
        body: String = #"{"model":"gpt-4o","stream":true}"#,
        address: String = "192.0.2.1"
    ) throws -> ProxyExchange {
        let route = try #require(ProxyRoute(rawPath: path))
        let resolved = try #require(Self.configuration.provider(id: provider))
        let request = IncomingRequest(method: .post, path: path, query: query, headers: headers, clientAddress: address, body: .collected(ByteBuffer(string: body)))
        return ProxyExchange(request: request, route: route, provider: resolved, record: RequestLogRecord(method: "POST", nativePath: path))
    }

    static func key(_ provider: String, primary: Bool = false, secret: String = "sk-stored") -> ProviderKey {
        ProviderKey(id: UUID(), provider: provider, name: nil, secret: Secret(secret), baseURL: nil, extraHeaders: [:], isPrimary: primary, createdAt: Date())
    }

    static func virtualKey(mapping ids: [UUID]) -> VirtualKey {
        VirtualKey(id: UUID(), name: nil, tokenStart: "arch_000000000", providerKeyIDs: ids, expiresAt: nil, revokedAt: nil, lastUsedAt: nil, createdAt: Date())
    }

    // MARK: AuthenticateStep

    @Test("authenticate: raw key, none, virtual key, token, each classified; malformed gateway credentials are refused")
    func authenticateClassifies() async throws {
        let directory = FixedDirectory()
        let virtualKey = Self.virtualKey(mapping: [])
        directory.virtualKeys["arch_good"] = .valid(virtualKey)
        let step = AuthenticateStep(directory: directory, limiter: FailedAuthenticationLimiter(), requireClientAuthentication: false)

        var raw = try Self.exchange(headers: [.contentType: "application/json", .authorization: "Bearer sk-raw"])
        try await step.authenticate(&raw)
        guard case .providerKey = raw.caller else { Issue.record("raw key not classified as a provider key"); return }
        #expect(directory.lookups == 0, "a raw key must not cost a store lookup")

        var none = try Self.exchange()
        try await step.authenticate(&none)
        guard case .anonymous = none.caller else { Issue.record("no credential not anonymous"); return }

        var good = try Self.exchange(headers: [.authorization: "Bearer arch_good"])
        try await step.authenticate(&good)
        guard case .virtualKey(let found) = good.caller else { Issue.record("virtual key not recognised"); return }
        #expect(found.id == virtualKey.id)

        var bad = try Self.exchange(headers: [.authorization: "Bearer arch_bad"])
        await #expect(throws: ProxyError.invalidCredential(kind: "virtual key", problem: "is not valid")) { try await step.authenticate(&bad) }
        var badToken = try Self.exchange(headers: [.authorization: "Bearer llm_at_nope"])
        await #expect(throws: ProxyError.invalidCredential(kind: "LLM OAuth client access token", problem: "is not valid")) { try await step.authenticate(&badToken) }
    }

    @Test("authenticate: a store failure is a 503 that says nothing of the cause")
    func authenticateStoreDown() async throws {
        let directory = FixedDirectory()
        directory.failing = true
        let step = AuthenticateStep(directory: directory, limiter: FailedAuthenticationLimiter(), requireClientAuthentication: false)
        var exchange = try Self.exchange(headers: [.authorization: "Bearer arch_any"])
        await #expect(throws: ProxyError.gatewayUnavailable) { try await step.authenticate(&exchange) }
        #expect(ProxyError.gatewayUnavailable.status == .serviceUnavailable)
    }

    @Test("authenticate: the limiter counts failures per address and refuses before looking up")
    func authenticateLimited() async throws {
        let directory = FixedDirectory()
        let step = AuthenticateStep(directory: directory, limiter: FailedAuthenticationLimiter(maximumFailures: 2, window: .seconds(60)), requireClientAuthentication: false)
        for _ in 0..<2 {
            var exchange = try Self.exchange(headers: [.authorization: "Bearer arch_bad"], address: "198.51.100.7")
            await #expect(throws: ProxyError.self) { try await step.authenticate(&exchange) }
        }
        let lookupsBefore = directory.lookups
        var limited = try Self.exchange(headers: [.authorization: "Bearer arch_bad"], address: "198.51.100.7")
        do {
            try await step.authenticate(&limited)
            Issue.record("a limited address was let through")
        } catch {
            #expect(error.code == .tooManyFailedAttempts)
            #expect((1...60).contains(error.retryAfterSeconds ?? 0))
        }
        #expect(directory.lookups == lookupsBefore)
        // Another address is not affected.
        var other = try Self.exchange(headers: [.authorization: "Bearer arch_bad"], address: "198.51.100.8")
        await #expect(throws: ProxyError.invalidCredential(kind: "virtual key", problem: "is not valid")) { try await step.authenticate(&other) }
    }

    // MARK: ResolveProfileStep

    @Test("resolve profile: default without an id, the stored one with, 404 unknown, 403 outside an OAuth client's list")
    func resolveProfile() async throws {
        let directory = FixedDirectory()
        let known = Profile(id: UUID(), name: "p", kind: .llmProxy, isDefault: false, createdAt: Date())
        directory.profiles[known.id] = known
        let step = ResolveProfileStep(directory: directory)

        var plain = try Self.exchange()
        try await step.resolve(&plain)
        #expect(plain.profile?.id == directory.defaultProfileValue.id)

        var named = try Self.exchange(path: "/v1/openai/\(known.id.uuidString)/chat/completions")
        try await step.resolve(&named)
        #expect(named.profile == known)

        let missing = UUID()
        var unknown = try Self.exchange(path: "/v1/openai/\(missing.uuidString)/chat/completions")
        await #expect(throws: ProxyError.unknownProfile(missing)) { try await step.resolve(&unknown) }

        var oauth = try Self.exchange(path: "/v1/openai/\(known.id.uuidString)/chat/completions")
        oauth.caller = .oauthClient(OAuthClient(id: UUID(), clientID: "llm_oauth_x", name: nil, allowedProfileIDs: [], providerKeyIDs: [], revokedAt: nil, createdAt: Date()))
        let lookups = directory.lookups
        do {
            try await step.resolve(&oauth)
            Issue.record("an OAuth client reached a profile outside its list")
        } catch {
            #expect(error.code == .forbidden)
        }
        #expect(directory.lookups == lookups, "the allow-list is checked before the lookup")
    }

    // MARK: UpstreamKeySelectionStep

    @Test("key selection: mapped key of the route's provider, primary fallback, 400 unmapped, pass-through")
    func keySelection() async throws {
        let directory = FixedDirectory()
        let openAI = Self.key("openai", secret: "sk-mapped")
        let groq = Self.key("groq")
        let primary = Self.key("openai", primary: true, secret: "sk-primary")
        for key in [openAI, groq, primary] { directory.keys[key.id] = key }
        let step = UpstreamKeySelectionStep(directory: directory, keylessAllowsAnonymous: false)

        var mapped = try Self.exchange()
        mapped.caller = .virtualKey(Self.virtualKey(mapping: [groq.id, openAI.id]))
        try await step.select(&mapped)
        guard case .stored(let secret, .virtualKey) = mapped.upstreamKey.credential else { Issue.record("no stored key"); return }
        #expect(secret.exposedValue == "sk-mapped")
        #expect(mapped.upstreamKey.providerKeyID == openAI.id)

        var unmapped = try Self.exchange()
        unmapped.caller = .virtualKey(Self.virtualKey(mapping: [groq.id]))
        await #expect(throws: ProxyError.noProviderKey(provider: "openai", credential: "virtual key")) { try await step.select(&unmapped) }

        var anonymous = try Self.exchange()
        try await step.select(&anonymous)
        guard case .stored(let fallback, .fallback) = anonymous.upstreamKey.credential else { Issue.record("no fallback"); return }
        #expect(fallback.exposedValue == "sk-primary")

        var raw = try Self.exchange(headers: [.authorization: "Bearer sk-raw"])
        raw.caller = .providerKey
        try await step.select(&raw)
        guard case .client = raw.upstreamKey.credential else { Issue.record("raw key not passed through"); return }

        var keyless = try Self.exchange(provider: "vllm", path: "/v1/vllm/chat/completions")
        await #expect(throws: ProxyError.self) { try await step.select(&keyless) }
        var keylessWithKey = try Self.exchange(provider: "vllm", path: "/v1/vllm/chat/completions")
        keylessWithKey.caller = .virtualKey(Self.virtualKey(mapping: [openAI.id]))
        try await step.select(&keylessWithKey)
        guard case .none = keylessWithKey.upstreamKey.credential else { Issue.record("keyless upstream got a key"); return }
    }

    // MARK: ReadRequestBodyStep

    @Test("read body: JSON operations are collected, checked and summarised; a declared length over the limit is refused before reading")
    func readBody() async throws {
        let step = ReadRequestBodyStep(bodyLimitBytes: 64)
        var chat = try Self.exchange()
        try await step.read(&chat)
        #expect(chat.summary == RequestSummary(model: "gpt-4o", isStreaming: true))
        #expect(chat.record.requestBytes == 32)

        var notJSON = try Self.exchange(headers: [.contentType: "text/plain"])
        await #expect(throws: ProxyError.unsupportedMediaType("text/plain")) { try await step.read(&notJSON) }

        var tooBig = try Self.exchange(body: String(repeating: "x", count: 65))
        await #expect(throws: ProxyError.bodyTooLarge(limit: 64)) { try await step.read(&tooBig) }

        // An upload is read whole too (one reader per body: see ReadRequestBodyStep); a declared
        // length past the limit is refused before anything is read.
        let stream = AsyncStream<ByteBuffer> { $0.finish() }
        var upload = try Self.exchange(path: "/v1/openai/files")
        upload.request.body = .streaming(AsyncThrowingStream { continuation in
            Task { for await chunk in stream { continuation.yield(chunk) }; continuation.finish() }
        }, declaredLength: 1_000)
        await #expect(throws: ProxyError.bodyTooLarge(limit: 64)) { try await step.read(&upload) }
        var smallUpload = try Self.exchange(path: "/v1/openai/files")
        smallUpload.request.body = .streaming(AsyncThrowingStream { $0.finish() }, declaredLength: 10)
        try await step.read(&smallUpload)
        #expect(smallUpload.request.body.isCollected, "an upload is read whole before it goes upstream")
    }

    // MARK: BuildUpstreamRequestStep

    @Test("build: a replaced credential leaves the query; the key's base URL and extra headers win")
    func buildUpstreamRequest() async throws {
        let configuration = try ProxyConfiguration(environment: [:])
        let gemini = try #require(configuration.provider(id: "gemini"))
        let path = "/v1/gemini/v1beta/models/m:streamGenerateContent"
        let request = IncomingRequest(
            method: .post, path: path, query: "alt=sse&key=AIza-raw", headers: [.contentType: "application/json", .init("x-team")!: "client"],
            clientAddress: "192.0.2.1", body: .collected(ByteBuffer(string: "{}"))
        )
        var exchange = ProxyExchange(request: request, route: try #require(ProxyRoute(rawPath: path)), provider: gemini, record: RequestLogRecord(method: "POST", nativePath: path))
        exchange.upstreamKey = UpstreamKeySelection(credential: .stored(Secret("k"), source: .virtualKey), baseURL: "http://other.test", extraHeaders: ["x-team": "key"])
        let built = try BuildUpstreamRequestStep().build(exchange)
        #expect(built.url == "http://other.test/v1beta/models/m:streamGenerateContent?alt=sse")
        #expect(built.headers["x-team"] == ["key"])

        exchange.upstreamKey = UpstreamKeySelection(credential: .client(request.credentials))
        #expect(try BuildUpstreamRequestStep().build(exchange).url.hasSuffix("?alt=sse&key=AIza-raw"), "a pass-through key stays where the client put it")
        // …but a gateway credential never does, even beside a pass-through key.
        let stray = IncomingRequest(method: .post, path: path, query: "alt=sse&key=arch_secret", headers: request.headers, clientAddress: "192.0.2.1", body: .collected(ByteBuffer(string: "{}")))
        exchange.request = stray
        #expect(try BuildUpstreamRequestStep().build(exchange).url.hasSuffix("?alt=sse"))
    }
}
