import AdminAPI
import Foundation
import HummingbirdTesting
import Testing

@Suite("Virtual keys")
struct VirtualKeyRoutesTests {
    /// Creates a provider key through the API and returns its id.
    static func providerKey(_ client: some TestClientProtocol, provider: String = "openai") async throws -> String {
        let response = try await client.admin(.post, "/api/provider-keys", json: #"{"provider":"\#(provider)","api_key":"k-\#(provider)"}"#)
        return try #require(try response.object()["id"] as? String)
    }

    @Test("create answers 201 with the value once; get and list never show it")
    func valueShownOnce() async throws {
        let harness = try await AdminTestHarness.make()
        try await harness.run { client in
            let openai = try await Self.providerKey(client)
            let anthropic = try await Self.providerKey(client, provider: "anthropic")
            let created = try await client.admin(
                .post, "/api/virtual-keys", json: #"{"name":"ci","provider_key_ids":["\#(openai)","\#(anthropic)"],"expires_in_seconds":3600}"#
            )
            #expect(created.status == .created)
            #expect(created.headers[.cacheControl] == "no-store")
            let key = try created.object()
            let value = try #require(key["value"] as? String)
            #expect(value.hasPrefix("arch_"))
            #expect(key["token_start"] as? String == String(value.prefix(14)))
            #expect(key["provider_key_ids"] as? [String] == [openai, anthropic])
            #expect(key["revoked_at"] is NSNull)
            #expect(key["last_used_at"] is NSNull)
            let expiresAt = try #require((key["expires_at"] as? String).flatMap(RFC3339.date(from:)))
            #expect(abs(expiresAt.timeIntervalSinceNow - 3600) < 60)
            let id = try #require(key["id"] as? String)

            for response in [try await client.admin(.get, "/api/virtual-keys/\(id)"), try await client.admin(.get, "/api/virtual-keys")] {
                #expect(response.status == .ok)
                #expect(!response.text.contains(value))
                #expect(!response.text.contains("\"value\""))
            }
            #expect(Set(try await client.admin(.get, "/api/virtual-keys/\(id)").object().keys) == [
                "id", "name", "token_start", "provider_key_ids", "expires_at", "revoked_at", "last_used_at", "created_at",
            ])
            #expect(!harness.loggedText.contains(value))
            // The change is audited by id.
            #expect(harness.logs.entries.contains {
                $0.metadata["archestra.admin.action"] == "virtual_key.create" && $0.metadata["archestra.admin.id"]?.description == id
            })
        }
    }

    @Test("an explicit expires_at is kept; none means no expiry")
    func expiry() async throws {
        try await AdminTestHarness.make().run { client in
            let openai = try await Self.providerKey(client)
            let future = RFC3339.string(from: Date().addingTimeInterval(86_400))
            let dated = try await client.admin(.post, "/api/virtual-keys", json: #"{"provider_key_ids":["\#(openai)"],"expires_at":"\#(future)"}"#)
            #expect(dated.status == .created)
            // Milliseconds survive the store up to float rounding.
            let stored = try #require((try dated.object()["expires_at"] as? String).flatMap(RFC3339.date(from:)))
            let sent = try #require(RFC3339.date(from: future))
            #expect(abs(stored.timeIntervalSince(sent)) < 0.002)
            let open = try await client.admin(.post, "/api/virtual-keys", json: #"{"provider_key_ids":["\#(openai)"]}"#)
            #expect(try open.object()["expires_at"] is NSNull)
        }
    }

    @Test("bad virtual key input is 400", arguments: [
        (#"{}"#, "invalid_field"),
        (#"{"provider_key_ids":[]}"#, "invalid_field"),
        (#"{"provider_key_ids":"x"}"#, "invalid_field"),
        (#"{"provider_key_ids":["not-a-uuid"]}"#, "invalid_field"),
        (#"{"provider_key_ids":["00000000-0000-0000-0000-000000000001"]}"#, "invalid_reference"),
        (#"{"provider_key_ids":["KEY"],"expires_at":"2001-01-01T00:00:00Z"}"#, "invalid_field"),
        (#"{"provider_key_ids":["KEY"],"expires_at":"tomorrow"}"#, "invalid_field"),
        (#"{"provider_key_ids":["KEY"],"expires_in_seconds":0}"#, "invalid_field"),
        (#"{"provider_key_ids":["KEY"],"expires_in_seconds":1.5}"#, "invalid_field"),
        (#"{"provider_key_ids":["KEY"],"expires_in_seconds":99999999999999999999}"#, "invalid_field"),
        (#"{"provider_key_ids":["KEY"],"expires_in_seconds":60,"expires_at":"2999-01-01T00:00:00Z"}"#, "invalid_field"),
        (#"{"provider_key_ids":["KEY","KEY"]}"#, "invalid_field"),
    ])
    func badInput(template: String, code: String) async throws {
        try await AdminTestHarness.make().run { client in
            let openai = try await Self.providerKey(client)
            let response = try await client.admin(.post, "/api/virtual-keys", json: template.replacingOccurrences(of: "KEY", with: openai))
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == code, "\(response.text)")
        }
    }

    @Test("two provider keys of one provider are refused")
    func oneKeyPerProvider() async throws {
        try await AdminTestHarness.make().run { client in
            let first = try await Self.providerKey(client)
            let second = try await Self.providerKey(client)
            let response = try await client.admin(.post, "/api/virtual-keys", json: #"{"provider_key_ids":["\#(first)","\#(second)"]}"#)
            #expect(response.status == .badRequest)
            #expect(try response.errorMessage()?.contains("openai") == true)
        }
    }

    @Test("PATCH renames, remaps and clears the expiry; DELETE revokes and the key stays listed")
    func updateAndRevoke() async throws {
        try await AdminTestHarness.make().run { client in
            let openai = try await Self.providerKey(client)
            let gemini = try await Self.providerKey(client, provider: "gemini")
            let id = try #require(
                try await client.admin(.post, "/api/virtual-keys", json: #"{"provider_key_ids":["\#(openai)"],"expires_in_seconds":60}"#).object()["id"] as? String
            )
            let patched = try await client.admin(.patch, "/api/virtual-keys/\(id)", json: #"{"name":"renamed","expires_at":null,"provider_key_ids":["\#(gemini)"]}"#)
            #expect(patched.status == .ok)
            #expect(try patched.object()["name"] as? String == "renamed")
            #expect(try patched.object()["expires_at"] is NSNull)
            #expect(try patched.object()["provider_key_ids"] as? [String] == [gemini])
            #expect(try await client.admin(.patch, "/api/virtual-keys/\(id)", json: #"{"expires_at":"1999-01-01T00:00:00Z"}"#).status == .badRequest)

            #expect(try await client.admin(.delete, "/api/virtual-keys/\(id)").status == .noContent)
            let revoked = try await client.admin(.get, "/api/virtual-keys/\(id)").object()
            #expect(revoked["revoked_at"] is String)
            #expect(try await client.admin(.delete, "/api/virtual-keys/\(UUID())").status == .notFound)
        }
    }
}
