import Proxy
import Testing
import WireFormats

/// Configuration is resolved by one pure initialiser, so precedence is tested without `setenv`.
struct ProxyConfigurationTests {
    @Test("defaults match the contract")
    func defaults() throws {
        let configuration = try ProxyConfiguration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 9000)
        #expect(configuration.bodyLimitBytes == 50 * 1024 * 1024)
        #expect(configuration.provider(id: "openai")?.baseURL == "https://api.openai.com/v1")
    }

    @Test("flags win over variables, variables over defaults")
    func precedence() throws {
        let environment = ["ARCHESTRA_HOST": "0.0.0.0", "ARCHESTRA_PORT": "9100"]
        let fromEnvironment = try ProxyConfiguration(environment: environment)
        #expect(fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.port == 9100)
        let fromFlags = try ProxyConfiguration(environment: environment, host: "127.0.0.2", port: 9200)
        #expect(fromFlags.host == "127.0.0.2")
        #expect(fromFlags.port == 9200)
    }

    @Test("provider base URL and the seed key come from the reference's variables; a trailing slash is dropped")
    func providerVariables() async throws {
        let configuration = try ProxyConfiguration(environment: [
            "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:9100/v1/", "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-x",
        ])
        let openAI = try #require(configuration.provider(id: "openai"))
        #expect(openAI.baseURL == "http://127.0.0.1:9100/v1")
        #expect(openAI.seedAPIKey?.exposedValue == "sk-x")
        // A stored key goes upstream in the provider's form.
        var request = UpstreamRequest(method: .POST, url: "http://upstream/v1/chat/completions", headers: [:], body: nil)
        let source = try await openAI.authorizer.authorize(&request, credential: .stored(Secret("sk-x"), source: .fallback))
        #expect(source == .fallback)
        #expect(request.headers["authorization"] == ["Bearer sk-x"])
    }

    @Test("the configuration's description shows no key")
    func descriptionHidesKeys() throws {
        let configuration = try ProxyConfiguration(environment: ["ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-secret-in-config", "ARCHESTRA_ADMIN_TOKEN": "admin-secret-token"])
        let printed = String(describing: configuration) + String(reflecting: configuration)
        #expect(!printed.contains("sk-secret-in-config"))
        #expect(!printed.contains("admin-secret-token"))
    }

    @Test("gateway settings: database URL default, opt-in flags, trusted proxies")
    func gatewaySettings() throws {
        let defaults = try ProxyConfiguration(environment: [:])
        #expect(defaults.databaseURL == "sqlite://archestra.sqlite")
        #expect(!defaults.requireClientAuthentication)
        #expect(!defaults.keylessAllowsAnonymous)
        #expect(defaults.trustedProxies.isEmpty)
        let set = try ProxyConfiguration(environment: [
            "ARCHESTRA_DATABASE_URL": "sqlite::memory:", "ARCHESTRA_REQUIRE_CLIENT_AUTH": "true",
            "ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "1", "ARCHESTRA_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
        ])
        #expect(set.databaseURL == "sqlite::memory:")
        #expect(set.requireClientAuthentication)
        #expect(set.keylessAllowsAnonymous)
        #expect(set.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(throws: ConfigurationError.self) { try ProxyConfiguration(environment: ["ARCHESTRA_REQUIRE_CLIENT_AUTH": "maybe"]) }
    }

    @Test("body limits accept plain bytes and units", arguments: [("1048576", 1_048_576), ("50mb", 52_428_800), ("512KB", 524_288), ("2gb", 2_147_483_648)])
    func bodyLimitUnits(text: String, bytes: Int) throws {
        #expect(try ProxyConfiguration(environment: ["ARCHESTRA_API_BODY_LIMIT": text]).bodyLimitBytes == bytes)
    }

    @Test("invalid values fail at start-up, naming the variable and not echoing the value", arguments: [
        ("ARCHESTRA_OPENAI_BASE_URL", "ftp://example.com"),
        ("ARCHESTRA_OPENAI_BASE_URL", "not a url"),
        ("ARCHESTRA_OPENAI_BASE_URL", "https://api.example.com/v1?key=sk-secret"),
        ("ARCHESTRA_PORT", "70000"),
        ("ARCHESTRA_API_BODY_LIMIT", "-5"),
        ("ARCHESTRA_UPSTREAM_READ_TIMEOUT_SECONDS", "soon"),
    ])
    func invalidValues(variable: String, value: String) {
        #expect {
            _ = try ProxyConfiguration(environment: [variable: value])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.variable == variable && !error.description.contains(value)
        }
    }
}
