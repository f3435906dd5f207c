import AdminAPI
import Foundation
import HummingbirdTesting
import Testing

@Suite("Provider keys")
struct ProviderKeyRoutesTests {
    static let apiKey = "sk-test-provider-key-0123456789"

    @Test("create answers 201 with the settings and never the key; get and list never show it either")
    func createAndRead() async throws {
        let harness = try await AdminTestHarness.make()
        try await harness.run { client in
            let created = try await client.admin(
                .post, "/api/provider-keys",
                json: #"{"provider":"openai","api_key":"\#(Self.apiKey)","name":"main","base_url":"https://llm.example.com/v1/","extra_headers":{"X-Team":"a"}}"#
            )
            #expect(created.status == .created)
            let key = try created.object()
            #expect(Set(key.keys) == ["id", "provider", "name", "base_url", "extra_headers", "is_primary", "created_at"])
            #expect(key["provider"] as? String == "openai")
            #expect(key["base_url"] as? String == "https://llm.example.com/v1")
            #expect(key["extra_headers"] as? [String: String] == ["x-team": "a"])
            #expect(key["is_primary"] as? Bool == true)
            let id = try #require(key["id"] as? String)

            let fetched = try await client.admin(.get, "/api/provider-keys/\(id)")
            let listed = try await client.admin(.get, "/api/provider-keys")
            for response in [created, fetched, listed] {
                #expect(!response.text.contains(Self.apiKey))
                #expect(!response.text.contains("api_key"))
            }
            #expect(try listed.array().count == 1)
        }
        #expect(!harness.loggedText.contains(Self.apiKey))
        // The store did receive the key.
        #expect(try await harness.store.providerKeys().first?.secret.exposedValue == Self.apiKey)
    }

    @Test("a null name or base_url on create means none")
    func nullOptionals() async throws {
        try await AdminTestHarness.make().run { client in
            let created = try await client.admin(.post, "/api/provider-keys", json: #"{"provider":"gemini","api_key":"k-123","name":null,"base_url":null}"#)
            #expect(created.status == .created)
            #expect(try created.object()["base_url"] is NSNull)
            #expect(try created.object()["name"] is NSNull)
        }
    }

    @Test("an unknown provider is 400 listing the known ones, without echoing the value")
    func unknownProvider() async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/provider-keys", json: #"{"provider":"sk-pasted-by-mistake","api_key":"k-123"}"#)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "unknown_provider")
            let message = try #require(try response.errorMessage())
            #expect(message.contains("openai, anthropic, gemini, bedrock"))
            #expect(!message.contains("sk-pasted-by-mistake"))
        }
    }

    @Test("a base URL breaking the rule is 400 invalid_base_url", arguments: [
        "ftp://example.com", "not a url", "https://user:pw@example.com", "https://example.com/?a=b", "https://example.com/#x", "/relative",
    ])
    func badBaseURL(url: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/provider-keys", json: #"{"provider":"openai","api_key":"k-123","base_url":"\#(url)"}"#)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "invalid_base_url")
        }
    }

    @Test("bad provider key input is 400 naming the field, never echoing the key", arguments: [
        (#"{"provider":"openai"}"#, "api_key"),
        (#"{"api_key":"k-123"}"#, "provider"),
        (#"{"provider":"openai","api_key":""}"#, "api_key"),
        (#"{"provider":"openai","api_key":"has space"}"#, "api_key"),
        (#"{"provider":"openai","api_key":"line\nbreak"}"#, "api_key"),
        (#"{"provider":"openai","api_key":12345}"#, "api_key"),
        (#"{"provider":"openai","api_key":"k-123","is_primary":"yes"}"#, "is_primary"),
        (#"{"provider":"openai","api_key":"k-123","extra_headers":["a"]}"#, "extra_headers"),
        (#"{"provider":"openai","api_key":"k-123","extra_headers":{"a":1}}"#, "extra_headers.a"),
        (#"{"provider":"openai","api_key":"k-123","extra_headers":{"bad name":"v"}}"#, "extra_headers"),
        (#"{"provider":"openai","api_key":"k-123","extra_headers":{"Host":"evil"}}"#, "extra_headers"),
        (#"{"provider":"openai","api_key":"k-123","extra_headers":{"x-a":"line\r\nbreak"}}"#, "extra_headers"),
        (#"{"provider":"openai","api_key":"k-123","apiKey":"x"}"#, "apiKey"),
    ])
    func badInput(body: String, field: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/provider-keys", json: body)
            #expect(response.status == .badRequest)
            let message = try #require(try response.errorMessage())
            #expect(message.contains("`\(field)`"))
            #expect(!message.contains("has space") && !message.contains("k-123"))
        }
    }

    @Test("PATCH rotates the key, clears the base URL with null, and 404s an unknown id")
    func update() async throws {
        let harness = try await AdminTestHarness.make()
        try await harness.run { client in
            let id = try #require(
                try await client.admin(.post, "/api/provider-keys", json: #"{"provider":"openai","api_key":"k-old","base_url":"https://a.example"}"#)
                    .object()["id"] as? String
            )
            let patched = try await client.admin(.patch, "/api/provider-keys/\(id)", json: #"{"api_key":"k-new-value","base_url":null,"name":"rotated"}"#)
            #expect(patched.status == .ok)
            #expect(try patched.object()["base_url"] is NSNull)
            #expect(try patched.object()["name"] as? String == "rotated")
            #expect(!patched.text.contains("k-new-value"))
            #expect(try await client.admin(.patch, "/api/provider-keys/\(UUID())", json: #"{"name":"x"}"#).status == .notFound)
            #expect(try await client.admin(.patch, "/api/provider-keys/\(id)", json: #"{"base_url":"gopher://x"}"#).status == .badRequest)
        }
        #expect(try await harness.store.providerKeys().first?.secret.exposedValue == "k-new-value")
    }

    @Test("DELETE removes the key; a second DELETE is 404")
    func delete() async throws {
        try await AdminTestHarness.make().run { client in
            let id = try #require(try await client.admin(.post, "/api/provider-keys", json: #"{"provider":"bedrock","api_key":"k-1"}"#).object()["id"] as? String)
            #expect(try await client.admin(.delete, "/api/provider-keys/\(id)").status == .noContent)
            #expect(try await client.admin(.delete, "/api/provider-keys/\(id)").status == .notFound)
            #expect(try await client.admin(.get, "/api/provider-keys").array().isEmpty)
        }
    }
}
