import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats
import Yams

/// The Entra ID and Azure managed-identity emulators, and the Azure OpenAI and Anthropic
/// emulators accepting their tokens (signature and audience checked).
@Suite("Entra ID and Azure managed identity emulators")
struct EntraEmulatorTests {
    typealias Compat = CompatEmulatorTests
    typealias Support = EmulatorTestSupport
    static let tenant = EntraMockTokenAuthority.tenantID
    static let client = EntraMockTokenAuthority.clientID

    static func application(_ router: Router<BasicRequestContext>) -> some ApplicationProtocol {
        Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    static func form(_ pairs: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(string: pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&"))
    }

    static func token(_ client: some TestClientProtocol, _ pairs: [(String, String)], tenant: String = tenant) async throws -> (HTTPResponse.Status, [String: Any]) {
        let response = try await client.execute(
            uri: "/\(tenant)/oauth2/v2.0/token", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: Self.form(pairs)
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        return (response.status, object)
    }

    static func secretGrant(secret: String = EntraMockTokenAuthority.clientSecret, scope: String = "https://cognitiveservices.azure.com/.default") -> [(String, String)] {
        [("client_id", client), ("grant_type", "client_credentials"), ("client_info", "1"), ("client_secret", secret), ("scope", scope)]
    }

    @Test("client secret grant: Entra's success body, with an RS256 token whose aud is the resource")
    func clientSecret() async throws {
        try await Self.application(EntraIDEmulator.makeRouter()).test(.router) { client in
            let (status, body) = try await Self.token(client, Self.secretGrant())
            #expect(status == .ok)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 3599 && body["ext_expires_in"] as? Int == 3599)
            let token = try #require(body["access_token"] as? String)
            #expect(EntraMockTokenAuthority.verifiedClaims(token)?["aud"] as? String == "https://cognitiveservices.azure.com")
            #expect(EntraMockTokenAuthority.acceptsAccessToken(token, audiences: ["https://cognitiveservices.azure.com"]))
            #expect(!EntraMockTokenAuthority.acceptsAccessToken(token, audiences: ["https://ai.azure.com"]))
        }
    }

    @Test("refusals carry Entra's error, AADSTS code and error_codes", arguments: [
        ("wrong secret", 401, "invalid_client", 7000215),
        ("unknown client", 400, "unauthorized_client", 700016),
        ("scope without /.default", 400, "invalid_scope", 1002012),
        ("unknown resource", 400, "invalid_resource", 500011),
        ("no proof", 400, "invalid_client", 7000216),
        ("unknown tenant", 400, "invalid_request", 90002),
    ])
    func refusals(case name: String, status: Int, error: String, code: Int) async throws {
        var pairs = Self.secretGrant()
        var tenant = Self.tenant
        switch name {
        case "wrong secret": pairs = Self.secretGrant(secret: "nope")
        case "unknown client": pairs[0] = ("client_id", "00000000-0000-0000-0000-000000000000")
        case "scope without /.default": pairs = Self.secretGrant(scope: "https://cognitiveservices.azure.com")
        case "unknown resource": pairs = Self.secretGrant(scope: "https://vault.example/.default")
        case "no proof": pairs.remove(at: 3)
        default: tenant = "not-a-tenant"
        }
        let grant = pairs
        let chosenTenant = tenant
        try await Self.application(EntraIDEmulator.makeRouter()).test(.router) { client in
            let (answer, body) = try await Self.token(client, grant, tenant: chosenTenant)
            #expect(Int(answer.code) == status)
            #expect(body["error"] as? String == error)
            #expect((body["error_description"] as? String)?.hasPrefix("AADSTS\(code): ") == true)
            #expect(body["error_codes"] as? [Int] == [code])
            #expect(body["trace_id"] is String && body["correlation_id"] is String && body["timestamp"] is String)
        }
    }

    @Test("client assertion: the emulator's federated token is accepted; an expired or foreign one is refused")
    func clientAssertion() async throws {
        let grant = { @Sendable (assertion: String) -> [(String, String)] in
            [
                ("client_assertion", assertion), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_id", Self.client), ("grant_type", "client_credentials"), ("scope", "https://ai.azure.com/.default"),
            ]
        }
        try await Self.application(EntraIDEmulator.makeRouter()).test(.router) { client in
            let good = try #require(EntraMockTokenAuthority.federatedToken())
            let (status, body) = try await Self.token(client, grant(good))
            #expect(status == .ok)
            #expect(EntraMockTokenAuthority.verifiedClaims(try #require(body["access_token"] as? String))?["aud"] as? String == "https://ai.azure.com")
            let expired = try #require(EntraMockTokenAuthority.federatedToken(now: Date().addingTimeInterval(-7200), lifetime: 3600))
            #expect(try await Self.token(client, grant(expired)).1["error_codes"] as? [Int] == [700024])
            // An Entra access token is signed by the right key but is not the cluster's.
            let foreign = try #require(EntraMockTokenAuthority.accessToken(resource: "https://ai.azure.com"))
            #expect(try await Self.token(client, grant(foreign)).1["error_codes"] as? [Int] == [700211])
            #expect(try await Self.token(client, grant("not.a.jwt")).1["error_codes"] as? [Int] == [50013])
        }
    }

    @Test("OpenID configuration and instance discovery point MSAL at this host")
    func discovery() async throws {
        try await Self.application(EntraIDEmulator.makeRouter()).test(.router) { client in
            let configuration = try await client.execute(uri: "/\(Self.tenant)/v2.0/.well-known/openid-configuration", method: .get)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(configuration.body.readableBytesView)) as? [String: Any])
            #expect((object["token_endpoint"] as? String)?.hasSuffix("/\(Self.tenant)/oauth2/v2.0/token") == true)
            #expect(object["authorization_endpoint"] is String)
            let instance = try await client.execute(
                uri: "/common/discovery/instance?api-version=1.1&authorization_endpoint=https://127.0.0.1:4443/\(Self.tenant)/oauth2/v2.0/authorize", method: .get
            )
            let discovered = try #require(try JSONSerialization.jsonObject(with: Data(instance.body.readableBytesView)) as? [String: Any])
            #expect(discovered["tenant_discovery_endpoint"] as? String == "https://127.0.0.1:4443/\(Self.tenant)/v2.0/.well-known/openid-configuration")
            let keys = try await client.execute(uri: "/\(Self.tenant)/discovery/v2.0/keys", method: .get)
            #expect(String(buffer: keys.body).contains(#""kty":"RSA""#))
        }
    }

    @Test("IMDS: 400 without Metadata: true, byte for byte the real answer; string expiries with it")
    func instanceMetadata() async throws {
        try await Self.application(AzureManagedIdentityEmulator.makeRouter()).test(.router) { client in
            let path = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com"
            let refused = try await client.execute(uri: path, method: .get)
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body) == #"{"error":"invalid_request","error_description":"Required metadata header not specified"}"#)
            let answer = try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("Metadata")!: "true"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any])
            #expect(object["expires_in"] as? String == "86399")
            #expect(object["expires_on"] is String && object["not_before"] is String)
            #expect(object["resource"] as? String == "https://management.azure.com")
            #expect(Set(object.keys) == ["access_token", "client_id", "expires_in", "expires_on", "ext_expires_in", "not_before", "resource", "token_type"])
        }
    }

    @Test("App Service: X-IDENTITY-HEADER required")
    func appService() async throws {
        try await Self.application(AzureManagedIdentityEmulator.makeRouter()).test(.router) { client in
            let path = "/msi/token?api-version=2019-08-01&resource=https://cognitiveservices.azure.com"
            #expect(try await client.execute(uri: path, method: .get).status == .unauthorized)
            let answer = try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("X-IDENTITY-HEADER")!: EntraMockTokenAuthority.identityHeader])
            #expect(answer.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any])
            #expect(object["expires_on"] is String)
            #expect(object["expires_in"] == nil)
        }
    }

    @Test("Azure OpenAI takes an Entra token for its URL form's audience and answers 401 to a wrong audience or forged token")
    func azureAcceptsEntraTokens() async throws {
        let cognitive = try #require(EntraMockTokenAuthority.accessToken(resource: "https://cognitiveservices.azure.com"))
        let foundry = try #require(EntraMockTokenAuthority.accessToken(resource: "https://ai.azure.com"))
        let expired = try #require(EntraMockTokenAuthority.accessToken(resource: "https://cognitiveservices.azure.com", now: Date().addingTimeInterval(-7200)))
        try await Compat.application(AzureOpenAIEmulator.profile).test(.router) { client in
            let deployment = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"
            #expect(try await Compat.post(client, deployment, Compat.hello, key: cognitive).status == .ok)
            #expect(try await Compat.post(client, "/openai/v1/chat/completions", Compat.hello, key: foundry).status == .ok)
            let wrongAudience = try await Compat.post(client, deployment, Compat.hello, key: foundry)
            #expect(wrongAudience.status == .unauthorized)
            #expect(String(buffer: wrongAudience.body).contains("audience is incorrect (https://cognitiveservices.azure.com)"))
            #expect(try await Compat.post(client, "/openai/v1/chat/completions", Compat.hello, key: cognitive).status == .unauthorized)
            #expect(try await Compat.post(client, deployment, Compat.hello, key: expired).status == .unauthorized)
            #expect(try await Compat.post(client, deployment, Compat.hello, key: AzureOpenAIEmulator.apiKey).status == .ok)
        }
    }

    @Test("Anthropic on Foundry (/anthropic/v1/messages) takes an Entra token for https://ai.azure.com")
    func anthropicFoundry() async throws {
        let foundry = try #require(EntraMockTokenAuthority.accessToken(resource: "https://ai.azure.com"))
        let cognitive = try #require(EntraMockTokenAuthority.accessToken(resource: "https://cognitiveservices.azure.com"))
        let body: JSONValue = ["model": "claude-sonnet-4-5", "max_tokens": 32, "messages": [["role": "user", "content": "Hello"]]]
        try await Self.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let send = { (token: String) async throws -> TestResponse in
                try await client.execute(
                    uri: "/anthropic/v1/messages", method: .post,
                    headers: [.contentType: "application/json", .authorization: "Bearer \(token)", HTTPField.Name("anthropic-version")!: "2023-06-01"],
                    body: ByteBuffer(bytes: body.encodedData())
                )
            }
            let withFoundryToken = try await send(foundry)
            let withOtherAudience = try await send(cognitive)
            let withKey = try await send(AnthropicEmulator.apiKey)
            #expect(withFoundryToken.status == .ok)
            #expect(withOtherAudience.status == .unauthorized)
            #expect(withKey.status == .ok)
        }
    }

    // MARK: Against the real captures

    /// `<repo>/../shared/real-traffic/identity`, found from this file.
    static let captures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/real-traffic/identity")

    static func capturedBodies(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: Self.captures.appendingPathComponent(file), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let interactions = try #require(document["interactions"] as? [[String: Any]])
        return try interactions.map { interaction in
            let body = try #require(((interaction["response"] as? [String: Any])?["body"] as? [String: Any])?["string"] as? String)
            return (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
        }
    }

    @Test("IMDS answers carry exactly the fields the real capture's do, with the same refusal")
    func imdsMatchesCapture() async throws {
        let real = try Self.capturedBodies("azure-imds-token.vcrpy.yaml")
        try #require(real.count == 2)
        let realRefusal = real[0] as? [String: String]
        let realKeys = Set(real[1].keys)
        #expect(real[1].values.allSatisfy { $0 is String })
        try await Self.application(AzureManagedIdentityEmulator.makeRouter()).test(.router) { client in
            let path = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com"
            let refused = try await client.execute(uri: path, method: .get)
            let refusal = try #require(try JSONSerialization.jsonObject(with: Data(refused.body.readableBytesView)) as? [String: String])
            #expect(refusal == realRefusal)
            let answer = try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("Metadata")!: "true"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any])
            #expect(Set(object.keys) == realKeys)
            // Every value a string, as the real service sends them.
            #expect(object.values.allSatisfy { $0 is String })
        }
    }

    @Test("the OpenID configuration holds only fields the real one has, including those MSAL requires")
    func openIDConfigurationMatchesCapture() async throws {
        let real = Set(try #require(try Self.capturedBodies("entra-obo-token.vcrpy.yaml").first { $0["token_endpoint"] != nil }).keys)
        try await Self.application(EntraIDEmulator.makeRouter()).test(.router) { client in
            let answer = try await client.execute(uri: "/\(Self.tenant)/v2.0/.well-known/openid-configuration", method: .get)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any])
            let extra = Set(object.keys).subtracting(real)
            #expect(extra.isEmpty, "fields the real document lacks: \(extra)")
            for required in ["token_endpoint", "authorization_endpoint", "issuer", "jwks_uri"] { #expect(object[required] is String) }
        }
    }
}
