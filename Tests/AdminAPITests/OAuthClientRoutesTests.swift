import AdminAPI
import Foundation
import HummingbirdTesting
import Testing

@Suite("OAuth clients")
struct OAuthClientRoutesTests {
    @Test("create answers 201 with client_id and client_secret once; get and list never show the secret")
    func secretShownOnce() async throws {
        let harness = try await AdminTestHarness.make()
        try await harness.run { client in
            let proxy = try #require(try await client.admin(.post, "/api/llm-proxies", json: #"{"name":"p"}"#).object()["id"] as? String)
            let key = try await VirtualKeyRoutesTests.providerKey(client)
            let created = try await client.admin(
                .post, "/api/oauth-clients", json: #"{"name":"svc","allowed_proxy_ids":["\#(proxy)"],"provider_key_ids":["\#(key)"]}"#
            )
            #expect(created.status == .created)
            let body = try created.object()
            let secret = try #require(body["client_secret"] as? String)
            #expect((body["client_id"] as? String)?.hasPrefix("llm_oauth_") == true)
            #expect(body["allowed_proxy_ids"] as? [String] == [proxy])
            #expect(body["provider_key_ids"] as? [String] == [key])
            let id = try #require(body["id"] as? String)

            let fetched = try await client.admin(.get, "/api/oauth-clients/\(id)")
            let listed = try await client.admin(.get, "/api/oauth-clients")
            for response in [fetched, listed] {
                #expect(response.status == .ok)
                #expect(!response.text.contains(secret))
                #expect(!response.text.contains("client_secret"))
            }
            #expect(Set(try fetched.object().keys) == ["id", "client_id", "name", "allowed_proxy_ids", "provider_key_ids", "revoked_at", "created_at"])
            #expect(!harness.loggedText.contains(secret))
        }
    }

    @Test("an empty body creates a client that uses the primary keys and may name no proxy")
    func defaults() async throws {
        try await AdminTestHarness.make().run { client in
            let created = try await client.admin(.post, "/api/oauth-clients", json: "{}")
            #expect(created.status == .created)
            #expect(try created.object()["provider_key_ids"] as? [String] == [])
            #expect(try created.object()["allowed_proxy_ids"] as? [String] == [])
        }
    }

    @Test("unknown references are 400", arguments: [
        #"{"allowed_proxy_ids":["00000000-0000-0000-0000-0000000000aa"]}"#,
        #"{"provider_key_ids":["00000000-0000-0000-0000-0000000000bb"]}"#,
        #"{"allowed_proxy_ids":"all"}"#,
    ])
    func unknownReferences(body: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/oauth-clients", json: body)
            #expect(response.status == .badRequest)
        }
    }

    @Test("PATCH changes the allowed proxies; DELETE revokes")
    func updateAndRevoke() async throws {
        try await AdminTestHarness.make().run { client in
            let id = try #require(try await client.admin(.post, "/api/oauth-clients", json: "{}").object()["id"] as? String)
            let proxy = try #require(try await client.admin(.post, "/api/profiles", json: #"{"name":"p"}"#).object()["id"] as? String)
            let patched = try await client.admin(.patch, "/api/oauth-clients/\(id)", json: #"{"allowed_proxy_ids":["\#(proxy)"],"name":"n"}"#)
            #expect(patched.status == .ok)
            #expect(try patched.object()["allowed_proxy_ids"] as? [String] == [proxy])
            #expect(try await client.admin(.delete, "/api/oauth-clients/\(id)").status == .noContent)
            #expect(try await client.admin(.get, "/api/oauth-clients/\(id)").object()["revoked_at"] is String)
            #expect(try await client.admin(.delete, "/api/oauth-clients/not-a-uuid").status == .notFound)
        }
    }
}
