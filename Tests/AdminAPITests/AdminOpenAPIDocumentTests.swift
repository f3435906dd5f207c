@testable import AdminAPI
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Testing
import WireFormats

@Suite("OpenAPI document")
struct AdminOpenAPIDocumentTests {
    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(AdminOpenAPIDocument.json.utf8)) as? [String: Any])
    }

    static func schema(_ name: String) throws -> [String: Any] {
        let components = try #require(try Self.document()["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        return try #require(schemas[name] as? [String: Any])
    }

    static func properties(_ name: String) throws -> Set<String> {
        Set(try #require(try Self.schema(name)["properties"] as? [String: Any]).keys)
    }

    @Test("the document is JSON, OpenAPI 3.1.x, with a bearer security scheme")
    func parses() throws {
        let document = try Self.document()
        let version = try #require(document["openapi"] as? String)
        #expect(version.hasPrefix("3.1."))
        let components = try #require(document["components"] as? [String: Any])
        let schemes = try #require(components["securitySchemes"] as? [String: Any])
        let bearer = try #require(schemes["adminToken"] as? [String: Any])
        #expect(bearer["type"] as? String == "http")
        #expect(bearer["scheme"] as? String == "bearer")
    }

    static func documentedOperations() throws -> [String: Set<String>] {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        return paths.mapValues { item in Set(item.keys.filter(methods.contains).map { $0.uppercased() }) }
    }

    @Test("every route the router serves is in the document, every operation in the document is served, and other methods are 405")
    func routesMatch() async throws {
        let harness = try await AdminTestHarness.make()
        let router = harness.router()
        let routes = router.routes.map { (method: $0.method, path: $0.path.description) }
        let documented = try Self.documentedOperations()
        try await harness.run { client in
            var served: [String: Set<String>] = [:]
            for route in routes {
                let uri = route.path.replacingOccurrences(of: "{id}", with: UUID().uuidString)
                let response = try await client.admin(route.method, uri)
                if response.status == .methodNotAllowed {
                    #expect(try response.errorCode() == "method_not_allowed")
                    let allow = try #require(response.headers[.allow])
                    #expect(Set(allow.components(separatedBy: ", ")) == documented[route.path], "\(route.path)")
                } else {
                    served[route.path, default: []].insert(route.method.rawValue)
                }
            }
            #expect(served == documented)
            #expect(served.values.map(\.count).reduce(0, +) == 48)  // 27, 2 for the interaction log, 8 for the tool policies, 6 for prices and limits, 5 for optimisation rules
        }
    }

    @Test("the served document is byte for byte openapi.json (rerun embed-openapi.sh after editing it)")
    func embeddedMatchesFile() async throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/AdminAPI/OpenAPI/openapi.json")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        #expect(onDisk == AdminOpenAPIDocument.json)
        try await AdminTestHarness.make().run { client in
            let response = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == onDisk)
        }
    }

    @Test("response schemas list exactly the fields the resources encode, all required")
    func responseSchemasMatchResources() throws {
        let now = Date()
        let id = UUID()
        let samples: [(String, any Encodable)] = [
            ("Profile", ProfileResource(Profile(id: id, name: "p", kind: .profile, isDefault: false, createdAt: now))),
            ("ProviderKey", ProviderKeyResource(ProviderKey(id: id, provider: "openai", name: nil, secret: Secret("k"), baseURL: nil, extraHeaders: [:], isPrimary: true, createdAt: now))),
            ("VirtualKey", VirtualKeyResource(VirtualKey(id: id, name: nil, tokenStart: "arch_012345678", providerKeyIDs: [], expiresAt: nil, revokedAt: nil, lastUsedAt: nil, createdAt: now))),
            ("CreatedVirtualKey", CreatedVirtualKeyResource(key: VirtualKey(id: id, name: nil, tokenStart: "arch_012345678", providerKeyIDs: [], expiresAt: nil, revokedAt: nil, lastUsedAt: nil, createdAt: now), value: Secret("arch_" + String(repeating: "0", count: 64)))),
            ("OAuthClient", OAuthClientResource(OAuthClient(id: id, clientID: "llm_oauth_x", name: nil, allowedProfileIDs: [], providerKeyIDs: [], revokedAt: nil, createdAt: now))),
            ("CreatedOAuthClient", CreatedOAuthClientResource(client: OAuthClient(id: id, clientID: "llm_oauth_x", name: nil, allowedProfileIDs: [], providerKeyIDs: [], revokedAt: nil, createdAt: now), secret: Secret("s"))),
            ("TokenResponse", AccessTokenResponse(accessToken: "llm_at_x", expiresIn: 3600, scope: "llm:proxy")),
            ("TokenError", OAuthTokenErrorBody(error: "invalid_client", errorDescription: "d")),
            ("Error", AdminErrorBody(error: .init(message: "m", type: "t", code: "c"))),
            ("Interaction", InteractionResource(Interaction(id: id, startedAt: now, method: "POST", path: "/chat/completions"))),
            ("InteractionPage", InteractionPageResource(items: [], nextCursor: nil)),
            ("ToolPolicy", ToolPolicyResource(ToolPolicy(id: id, kind: .toolInvocation, profileID: nil, toolName: "t", conditions: [], action: .blockAlways, reason: nil, createdAt: now))),
            ("OptimisationRule", OptimisationRuleResource(OptimisationRule(id: id, provider: "openai", targetModel: "gpt-5-mini", conditions: OptimisationConditions(maxPromptTokens: 1000, hasTools: false), enabled: true, createdAt: now))),
        ]
        for (name, sample) in samples {
            let encoded = try AdminJSON.encoder().encode(sample)
            let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
            #expect(Set(object.keys) == (try Self.properties(name)), "\(name)")
            let required = Set(try #require(try Self.schema(name)["required"] as? [String]))
            #expect(Set(object.keys) == required, "\(name)")
        }
    }

    @Test("request schemas list exactly the fields the request types accept")
    func requestSchemasMatchRequests() throws {
        let pairs: [(String, [String])] = [
            ("ProfileCreate", CreateProfileRequest.CodingKeys.allCases.map(\.stringValue)),
            ("ProfileUpdate", UpdateProfileRequest.CodingKeys.allCases.map(\.stringValue)),
            ("ProviderKeyCreate", CreateProviderKeyRequest.CodingKeys.allCases.map(\.stringValue)),
            ("ProviderKeyUpdate", UpdateProviderKeyRequest.CodingKeys.allCases.map(\.stringValue)),
            ("VirtualKeyCreate", CreateVirtualKeyRequest.CodingKeys.allCases.map(\.stringValue)),
            ("VirtualKeyUpdate", UpdateVirtualKeyRequest.CodingKeys.allCases.map(\.stringValue)),
            ("OAuthClientCreate", CreateOAuthClientRequest.CodingKeys.allCases.map(\.stringValue)),
            ("OAuthClientUpdate", UpdateOAuthClientRequest.CodingKeys.allCases.map(\.stringValue)),
            ("ToolInvocationPolicyCreate", CreateToolPolicyRequest.CodingKeys.allCases.map(\.stringValue)),
            ("TrustedDataPolicyCreate", CreateToolPolicyRequest.CodingKeys.allCases.map(\.stringValue)),
            ("ToolPolicyCondition", CreateToolPolicyRequest.StrictCondition.CodingKeys.allCases.map(\.stringValue)),
            ("OptimisationRuleCreate", CreateOptimisationRuleRequest.CodingKeys.allCases.map(\.stringValue)),
            ("OptimisationConditions", CreateOptimisationRuleRequest.StrictConditions.CodingKeys.allCases.map(\.stringValue)),
            ("OptimisationRuleUpdate", UpdateOptimisationRuleRequest.CodingKeys.allCases.map(\.stringValue)),
        ]
        for (name, keys) in pairs {
            #expect(Set(keys) == (try Self.properties(name)), "\(name)")
            #expect(try Self.schema(name)["additionalProperties"] as? Bool == false, "\(name) refuses unknown fields, as the server does")
        }
    }

    @Test("the limits in the document are the server's")
    func limitsMatch() throws {
        let name = try #require(try Self.schema("ProfileCreate")["properties"] as? [String: [String: Any]])["name"]
        #expect(name?["maxLength"] as? Int == AdminInputRules.maximumNameLength)
        let keyProperties = try #require(try Self.schema("ProviderKeyCreate")["properties"] as? [String: [String: Any]])
        #expect(keyProperties["api_key"]?["maxLength"] as? Int == AdminInputRules.maximumAPIKeyLength)
        #expect(keyProperties["extra_headers"]?["maxProperties"] as? Int == AdminInputRules.maximumExtraHeaders)
        let vkProperties = try #require(try Self.schema("VirtualKeyCreate")["properties"] as? [String: [String: Any]])
        #expect(vkProperties["expires_in_seconds"]?["maximum"] as? Int == AdminInputRules.maximumExpiresInSeconds)
        #expect(vkProperties["provider_key_ids"]?["maxItems"] as? Int == AdminInputRules.maximumIDs)
    }
}
