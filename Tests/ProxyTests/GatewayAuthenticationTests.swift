import AsyncHTTPClient
import Foundation
import Gateway
import InMemoryLogging
import Logging
import NIOCore
import Proxy
import Testing
import WireFormats

/// Every authentication path through the whole pipeline, on every dialect: what the upstream
/// receives (the mapped provider key in the provider's form, never the gateway credential) and
/// what the client sees when it is refused (the status and the error shape its SDK parses).
@Suite(.timeLimit(.minutes(2)))
struct GatewayAuthenticationTests {
    /// How a dialect's client presents a key, and how the provider expects one upstream.
    struct Route: Sendable, CustomTestStringConvertible {
        enum Presentation: Sendable {
            case bearer
            case header(String)
            case query(String)
        }

        let provider: String
        let path: String
        let body: String
        let baseURLVariable: String
        let presentation: Presentation
        /// Where the stored key must arrive upstream, and in what form.
        let upstreamHeader: String
        let upstreamValue: @Sendable (String) -> String
        /// Whether the refusal body is in the dialect's own error shape.
        let isDialectError: @Sendable (_ status: Int, _ headers: [String: [String]], _ json: JSONValue) -> Bool

        var testDescription: String { self.provider + (self.presentation.isQuery ? " (?key=)" : "") }

        func request(_ proxy: String, key: String?) -> HTTPClientRequest {
            var url = "\(proxy)/v1/\(self.provider)\(self.path)"
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            if let key {
                switch self.presentation {
                case .bearer: request.headers.add(name: "authorization", value: "Bearer \(key)")
                case .header(let name): request.headers.add(name: name, value: key)
                case .query(let name):
                    url += "?alt=sse&\(name)=\(key)"
                    request.url = url
                }
            }
            request.body = .bytes(ByteBuffer(string: self.body))
            return request
        }
    }

    static let openAIError: @Sendable (Int, [String: [String]], JSONValue) -> Bool = { _, _, json in json["error"]?["type"]?.stringValue != nil && json["error"]?["message"]?.stringValue != nil }

    static let routes: [Route] = [
        Route(
            provider: "openai", path: "/chat/completions", body: #"{"model":"gpt-4o-mini","messages":[]}"#,
            baseURLVariable: "ARCHESTRA_OPENAI_BASE_URL", presentation: .bearer,
            upstreamHeader: "authorization", upstreamValue: { "Bearer \($0)" }, isDialectError: openAIError
        ),
        Route(
            provider: "groq", path: "/openai/v1/chat/completions", body: #"{"model":"llama","messages":[]}"#,
            baseURLVariable: "ARCHESTRA_GROQ_BASE_URL", presentation: .bearer,
            upstreamHeader: "authorization", upstreamValue: { "Bearer \($0)" }, isDialectError: openAIError
        ),
        Route(
            provider: "azure", path: "/chat/completions", body: #"{"model":"gpt-4o","messages":[]}"#,
            baseURLVariable: "ARCHESTRA_AZURE_OPENAI_BASE_URL", presentation: .header("api-key"),
            upstreamHeader: "api-key", upstreamValue: { $0 }, isDialectError: openAIError
        ),
        Route(
            provider: "anthropic", path: "/v1/messages", body: #"{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[]}"#,
            baseURLVariable: "ARCHESTRA_ANTHROPIC_BASE_URL", presentation: .header("x-api-key"),
            upstreamHeader: "x-api-key", upstreamValue: { $0 },
            isDialectError: { _, _, json in json["type"]?.stringValue == "error" && json["error"]?["type"]?.stringValue != nil }
        ),
        Route(
            provider: "gemini", path: "/v1beta/models/gemini-2.0-flash:generateContent", body: #"{"contents":[]}"#,
            baseURLVariable: "ARCHESTRA_GEMINI_BASE_URL", presentation: .header("x-goog-api-key"),
            upstreamHeader: "x-goog-api-key", upstreamValue: { $0 },
            isDialectError: { status, _, json in json["error"]?["code"]?.intValue == status && json["error"]?["status"]?.stringValue != nil }
        ),
        Route(
            provider: "gemini", path: "/v1beta/models/gemini-2.0-flash:streamGenerateContent", body: #"{"contents":[]}"#,
            baseURLVariable: "ARCHESTRA_GEMINI_BASE_URL", presentation: .query("key"),
            upstreamHeader: "x-goog-api-key", upstreamValue: { $0 },
            isDialectError: { status, _, json in json["error"]?["code"]?.intValue == status }
        ),
        Route(
            provider: "cohere", path: "/v2/chat", body: #"{"model":"command-r","messages":[]}"#,
            baseURLVariable: "ARCHESTRA_COHERE_BASE_URL", presentation: .bearer,
            upstreamHeader: "authorization", upstreamValue: { "Bearer \($0)" },
            isDialectError: { _, _, json in json["message"]?.stringValue != nil && json["error"] == nil }
        ),
        Route(
            provider: "bedrock", path: "/model/amazon.nova-pro-v1:0/converse", body: #"{"messages":[]}"#,
            baseURLVariable: "ARCHESTRA_BEDROCK_BASE_URL", presentation: .bearer,
            upstreamHeader: "authorization", upstreamValue: { "Bearer \($0)" },
            isDialectError: { _, headers, json in headers["x-amzn-errortype"]?.isEmpty == false && json["message"]?.stringValue != nil }
        ),
    ]

    /// The proxy in front of the echo upstream, for `route`'s provider, with a stored key for it.
    static func withRoute<Value: Sendable>(
        _ route: Route,
        environment extra: [String: String] = [:],
        logger: Logger = Logger(label: "test.proxy", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (_ proxy: String, _ gateway: GatewayRuntime, _ key: ProviderKey, _ client: HTTPClient) async throws -> Value
    ) async throws -> Value {
        try await withUpstream(ForwardingTests.echoUpstream) { upstreamPort in
            var environment = [route.baseURLVariable: "http://127.0.0.1:\(upstreamPort)" + (route.provider == "azure" ? "/openai" : "")]
            environment["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] = "false"
            environment.merge(extra) { _, new in new }
            return try await withGatewayProxy(upstreamPort: upstreamPort, environment: environment, logger: logger) { proxy, gateway in
                let key = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: route.provider, secret: Secret("sk-stored-\(route.provider)-key"), isPrimary: false))
                return try await withTestClient { client in try await body(proxy, gateway, key, client) }
            }
        }
    }

    static func refusal(_ response: HTTPClientResponse, route: Route, status: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let text = try await response.bodyText()
        #expect(Int(response.status.code) == status, "\(route.testDescription): \(text)", sourceLocation: sourceLocation)
        var headers: [String: [String]] = [:]
        for (name, value) in response.headers { headers[name.lowercased(), default: []].append(value) }
        let json = try JSONValue(parsing: Data(text.utf8))
        #expect(route.isDialectError(status, headers, json), "\(route.testDescription) answered outside its dialect: \(text)", sourceLocation: sourceLocation)
        return text
    }

    @Test("a virtual key is swapped for the provider key it maps, in the provider's form; it never goes upstream", arguments: routes)
    func virtualKeySwapped(route: Route) async throws {
        try await Self.withRoute(route) { proxy, gateway, key, client in
            let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            let echo = try await ForwardingTests.echo(of: try await client.execute(route.request(proxy, key: value.exposedValue), timeout: .seconds(10)))
            #expect(echo.headers[route.upstreamHeader] == [route.upstreamValue("sk-stored-\(route.provider)-key")])
            let everything = "\(echo.headers) \(echo.query ?? "") \(echo.path) \(echo.body)"
            #expect(!everything.contains(value.exposedValue), "the virtual key reached the upstream")
            #expect(!everything.contains(VirtualKeyValue.prefix))
            if case .query = route.presentation {
                #expect(echo.query == "alt=sse", "the client's ?key= must be removed, other parameters kept")
            }
        }
    }

    @Test("an OAuth access token uses the client's mapped key, else the provider's primary key", arguments: routes)
    func oauthToken(route: Route) async throws {
        try await Self.withRoute(route) { proxy, gateway, key, client in
            // Mapped explicitly.
            let (mapped, mappedSecret) = try await gateway.store.createOAuthClient(OAuthClientDraft(providerKeyIDs: [key.id]))
            let token = try #require(try await gateway.directory.issueAccessToken(clientID: mapped.clientID, secret: mappedSecret, scope: "llm:proxy", now: Date()))
            let echo = try await ForwardingTests.echo(of: try await client.execute(route.request(proxy, key: token.value.exposedValue), timeout: .seconds(10)))
            #expect(echo.headers[route.upstreamHeader] == [route.upstreamValue("sk-stored-\(route.provider)-key")])
            #expect(!"\(echo.headers) \(echo.query ?? "")".contains(token.value.exposedValue))

            // No mapping: the primary key.
            _ = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: route.provider, secret: Secret("sk-primary-\(route.provider)"), isPrimary: true))
            let (plain, plainSecret) = try await gateway.store.createOAuthClient(OAuthClientDraft())
            let plainToken = try #require(try await gateway.directory.issueAccessToken(clientID: plain.clientID, secret: plainSecret, scope: "llm:proxy", now: Date()))
            let viaPrimary = try await ForwardingTests.echo(of: try await client.execute(route.request(proxy, key: plainToken.value.exposedValue), timeout: .seconds(10)))
            #expect(viaPrimary.headers[route.upstreamHeader] == [route.upstreamValue("sk-primary-\(route.provider)")])
        }
    }

    @Test("unknown, expired and revoked virtual keys and unknown tokens are 401 in the dialect's shape", arguments: routes)
    func refusedCredentials(route: Route) async throws {
        try await Self.withRoute(route) { proxy, gateway, key, client in
            let unknown = "arch_" + String(repeating: "0", count: 64)
            let text = try await Self.refusal(try await client.execute(route.request(proxy, key: unknown), timeout: .seconds(10)), route: route, status: 401)
            #expect(text.contains("not valid"))

            let (expired, expiredValue) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id], expiresAt: Date(timeIntervalSinceNow: -60)))
            #expect(expired.expiresAt != nil)
            let expiredText = try await Self.refusal(try await client.execute(route.request(proxy, key: expiredValue.exposedValue), timeout: .seconds(10)), route: route, status: 401)
            #expect(expiredText.contains("expired"))

            let (revoked, revokedValue) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            #expect(try await gateway.store.revokeVirtualKey(id: revoked.id))
            gateway.directory.invalidate()
            let revokedText = try await Self.refusal(try await client.execute(route.request(proxy, key: revokedValue.exposedValue), timeout: .seconds(10)), route: route, status: 401)
            #expect(revokedText.contains("revoked"))

            let badToken = "llm_at_" + String(repeating: "A", count: 43)
            _ = try await Self.refusal(try await client.execute(route.request(proxy, key: badToken), timeout: .seconds(10)), route: route, status: 401)
        }
    }

    @Test("a virtual key with no key for the route's provider is 400 in the dialect's shape", arguments: routes)
    func unmappedProvider(route: Route) async throws {
        try await Self.withRoute(route) { proxy, gateway, _, client in
            let other = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: route.provider == "openai" ? "groq" : "openai", secret: Secret("sk-other")))
            let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [other.id]))
            let text = try await Self.refusal(try await client.execute(route.request(proxy, key: value.exposedValue), timeout: .seconds(10)), route: route, status: 400)
            #expect(text.contains("no \(route.provider) key"))
        }
    }

    @Test("a raw provider key passes through as sent; no key uses the primary key", arguments: routes)
    func rawAndFallback(route: Route) async throws {
        try await Self.withRoute(route) { proxy, gateway, _, client in
            let raw = try await ForwardingTests.echo(of: try await client.execute(route.request(proxy, key: "sk-raw-client-key"), timeout: .seconds(10)))
            if case .query(let name) = route.presentation {
                #expect(raw.query?.contains("\(name)=sk-raw-client-key") == true)
            } else {
                #expect(raw.headers[route.upstreamHeader] == [route.upstreamValue("sk-raw-client-key")])
            }
            _ = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: route.provider, secret: Secret("sk-primary"), isPrimary: true))
            let fallback = try await ForwardingTests.echo(of: try await client.execute(route.request(proxy, key: nil), timeout: .seconds(10)))
            #expect(fallback.headers[route.upstreamHeader] == [route.upstreamValue("sk-primary")])
        }
    }

    @Test("ARCHESTRA_REQUIRE_CLIENT_AUTH refuses raw keys and anonymous requests, and still takes virtual keys", arguments: routes)
    func requireClientAuthentication(route: Route) async throws {
        try await Self.withRoute(route, environment: ["ARCHESTRA_REQUIRE_CLIENT_AUTH": "true"]) { proxy, gateway, key, client in
            _ = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: route.provider, secret: Secret("sk-primary"), isPrimary: true))
            _ = try await Self.refusal(try await client.execute(route.request(proxy, key: "sk-raw-client-key"), timeout: .seconds(10)), route: route, status: 401)
            _ = try await Self.refusal(try await client.execute(route.request(proxy, key: nil), timeout: .seconds(10)), route: route, status: 401)
            let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            let echo = try await ForwardingTests.echo(of: try await client.execute(route.request(proxy, key: value.exposedValue), timeout: .seconds(10)))
            #expect(echo.headers[route.upstreamHeader] == [route.upstreamValue("sk-stored-\(route.provider)-key")])
        }
    }

    @Test("ten failed virtual-key checks from one address, then 429 with retry-after, even for a good key")
    func failedAttemptsLimited() async throws {
        let route = Self.routes[0]
        try await Self.withRoute(route) { proxy, gateway, key, client in
            for attempt in 0..<10 {
                let response = try await client.execute(route.request(proxy, key: "arch_" + String(format: "%064x", attempt)), timeout: .seconds(10))
                #expect(response.status.code == 401)
            }
            let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            let limited = try await client.execute(route.request(proxy, key: value.exposedValue), timeout: .seconds(10))
            #expect(limited.status.code == 429)
            let seconds = try #require(limited.headers.first(name: "retry-after").flatMap(Int.init))
            #expect((1...60).contains(seconds))
            // Raw keys are not gateway checks: they are not held back.
            let raw = try await client.execute(route.request(proxy, key: "sk-raw"), timeout: .seconds(10))
            #expect(raw.status.code == 200)
        }
    }

    @Test("an OAuth client may name only its allowed profiles (403 otherwise, before the lookup); unknown profiles are 404")
    func profileAllowList() async throws {
        let route = Self.routes[0]
        try await Self.withRoute(route) { proxy, gateway, key, client in
            let allowed = try await gateway.store.createProfile(ProfileDraft(name: "allowed", kind: .llmProxy))
            let (oauth, secret) = try await gateway.store.createOAuthClient(OAuthClientDraft(allowedProfileIDs: [allowed.id], providerKeyIDs: [key.id]))
            let token = try #require(try await gateway.directory.issueAccessToken(clientID: oauth.clientID, secret: secret, scope: "llm:proxy", now: Date()))
            func send(_ profile: UUID?, _ key: String) async throws -> HTTPClientResponse {
                let prefix = profile.map { "/\($0.uuidString.lowercased())" } ?? ""
                return try await client.execute(openAIRequest("\(proxy)/v1/openai\(prefix)/chat/completions", json: route.body, key: key), timeout: .seconds(10))
            }
            #expect(try await send(allowed.id, token.value.exposedValue).status.code == 200)
            #expect(try await send(nil, token.value.exposedValue).status.code == 200)
            let forbidden = try await send(testProfileID, token.value.exposedValue)
            #expect(forbidden.status.code == 403)
            #expect(try await forbidden.bodyText().contains("permission_error"))
            #expect(try await send(UUID(), token.value.exposedValue).status.code == 403)
            // A virtual key has no allow-list: an unknown id is simply not found.
            let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            let unknown = try await send(UUID(), value.exposedValue)
            #expect(unknown.status.code == 404)
            #expect(try await unknown.bodyText().contains("unknown_profile"))
        }
    }

    @Test("a provider key's base URL and extra headers apply to requests made with it")
    func perKeySettings() async throws {
        let route = Self.routes[0]
        try await withUpstream(ForwardingTests.echoUpstream) { otherPort in
            try await Self.withRoute(route) { proxy, gateway, _, client in
                let key = try await gateway.store.createProviderKey(ProviderKeyDraft(
                    provider: "openai", secret: Secret("sk-elsewhere"), baseURL: "http://127.0.0.1:\(otherPort)/elsewhere/v1",
                    extraHeaders: ["x-team": "platform", "openai-organization": "org-from-key"]
                ))
                let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
                var request = route.request(proxy, key: value.exposedValue)
                request.headers.add(name: "openai-organization", value: "org-from-client")
                let echo = try await ForwardingTests.echo(of: try await client.execute(request, timeout: .seconds(10)))
                #expect(echo.path == "/elsewhere/v1/chat/completions")
                #expect(echo.headers["x-team"] == ["platform"])
                #expect(echo.headers["openai-organization"] == ["org-from-key"])
            }
        }
    }

    @Test("keyless upstreams need a gateway credential unless ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS")
    func keylessNeedsGatewayCredential() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { upstreamPort in
            let base = ["ARCHESTRA_VLLM_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1"]
            try await withGatewayProxy(upstreamPort: upstreamPort, environment: base.merging(["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "false"]) { $1 }) { proxy, gateway in
                try await withTestClient { client in
                    let url = "\(proxy)/v1/vllm/chat/completions"
                    let anonymous = try await client.execute(openAIRequest(url, json: #"{"model":"m"}"#, key: nil), timeout: .seconds(10))
                    #expect(anonymous.status.code == 401)
                    #expect(try await anonymous.bodyText().contains("gateway_credential_required"))
                    // A virtual key with no vLLM key mapped still authenticates the caller.
                    let openAIKey = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-o")))
                    let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [openAIKey.id]))
                    let echo = try await ForwardingTests.echo(of: try await client.execute(openAIRequest(url, json: #"{"model":"m"}"#, key: value.exposedValue), timeout: .seconds(10)))
                    #expect(echo.headers["authorization"] == nil)
                }
            }
            try await withProxy(upstreamPort: upstreamPort, environment: base.merging(["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "true"]) { $1 }) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(openAIRequest("\(proxy)/v1/vllm/chat/completions", json: #"{"model":"m"}"#, key: nil), timeout: .seconds(10))
                    #expect(response.status.code == 200)
                }
            }
        }
    }

    @Test("a gateway credential beside a raw key wins, and neither it nor another gateway credential travels in the query")
    func gatewayCredentialBesideRawKey() async throws {
        let route = Self.routes[4]  // Gemini, header form
        try await Self.withRoute(route) { proxy, gateway, key, client in
            let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            var request = route.request(proxy, key: "raw-header-key")
            request.url += "?alt=sse&key=\(value.exposedValue)"
            let echo = try await ForwardingTests.echo(of: try await client.execute(request, timeout: .seconds(10)))
            #expect(echo.headers["x-goog-api-key"] == ["sk-stored-gemini-key"], "the virtual key is the one checked and swapped")
            #expect(echo.query == "alt=sse")

            // A raw query key passes through; an unknown gateway credential in a header is refused,
            // not silently skipped for the raw one.
            var both = route.request(proxy, key: "arch_" + String(repeating: "e", count: 64))
            both.url += "?key=raw-query-key"
            let refused = try await client.execute(both, timeout: .seconds(10))
            #expect(refused.status.code == 401)
        }
    }

    @Test("a gateway credential where the route reads none (another header, the query) is not forwarded either")
    func strayGatewayCredentialsScrubbed() async throws {
        let route = Self.routes[0]  // OpenAI: reads Authorization only
        try await Self.withRoute(route) { proxy, _, _, client in
            var request = route.request(proxy, key: "sk-raw-client-key")
            request.url += "?key=arch_\(String(repeating: "1", count: 64))&keep=1"
            request.headers.add(name: "x-api-key", value: "arch_" + String(repeating: "2", count: 64))
            request.headers.add(name: "x-other", value: "Bearer llm_at_" + String(repeating: "A", count: 43))
            let echo = try await ForwardingTests.echo(of: try await client.execute(request, timeout: .seconds(10)))
            #expect(echo.headers["authorization"] == ["Bearer sk-raw-client-key"])
            #expect(echo.headers["x-api-key"] == nil)
            #expect(echo.headers["x-other"] == nil)
            #expect(echo.query == "keep=1")
        }
    }

    @Test("the request log names the virtual key and profile, never a key or token")
    func logLine() async throws {
        let logs = InMemoryLogHandler()
        let route = Self.routes[0]
        try await Self.withRoute(route, logger: Logger(label: "test", factory: { _ in logs })) { proxy, gateway, key, client in
            let (virtualKey, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            _ = try await client.execute(route.request(proxy, key: value.exposedValue), timeout: .seconds(10))
            _ = try await client.execute(route.request(proxy, key: "arch_" + String(repeating: "f", count: 64)), timeout: .seconds(10))
            let lines = logs.entries.filter { $0.message == "proxied request" }
            #expect(lines.count == 2)
            #expect(lines.first?.metadata["archestra.virtual_key_id"]?.description == virtualKey.id.uuidString.lowercased())
            #expect(lines.first?.metadata["archestra.credential"] == "virtual_key")
            #expect(lines.first?.metadata["archestra.profile_id"] != nil)
            #expect(lines.last?.metadata["error.code"] == "invalid_api_key")
            for entry in logs.entries {
                let line = "\(entry.message) \(entry.metadata)"
                #expect(!line.contains(value.exposedValue))
                #expect(!line.contains("sk-stored"))
                #expect(!line.contains("arch_"))
            }
        }
    }
}

extension GatewayAuthenticationTests.Route.Presentation {
    var isQuery: Bool {
        if case .query = self { return true }
        return false
    }
}
