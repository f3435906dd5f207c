import AdminAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Profiles and LLM proxies")
struct ProfileRoutesTests {
    @Test("create, get, list, update and delete a profile")
    func lifecycle() async throws {
        try await AdminTestHarness.make().run { client in
            let created = try await client.admin(.post, "/api/profiles", json: #"{"name":"team-a","consider_context_untrusted":true}"#)
            #expect(created.status == .created)
            let profile = try created.object()
            let id = try #require(profile["id"] as? String)
            #expect(id == id.lowercased())
            #expect(UUID(uuidString: id) != nil)
            #expect(profile["name"] as? String == "team-a")
            #expect(profile["kind"] as? String == "profile")
            #expect(profile["is_default"] as? Bool == false)
            #expect(profile["consider_context_untrusted"] as? Bool == true)
            let createdAt = try #require(profile["created_at"] as? String)
            #expect(RFC3339.date(from: createdAt) != nil)
            #expect(Set(profile.keys) == ["id", "name", "kind", "is_default", "consider_context_untrusted", "created_at"])

            let fetched = try await client.admin(.get, "/api/profiles/\(id)")
            #expect(fetched.status == .ok)
            #expect(try fetched.object()["name"] as? String == "team-a")

            let list = try await client.admin(.get, "/api/profiles")
            #expect(try list.array().compactMap { $0["id"] as? String }.contains(id))
            #expect(try list.array().contains { $0["is_default"] as? Bool == true })

            let patched = try await client.admin(.patch, "/api/profiles/\(id)", json: #"{"name":"team-b"}"#)
            #expect(patched.status == .ok)
            #expect(try patched.object()["name"] as? String == "team-b")
            #expect(try patched.object()["consider_context_untrusted"] as? Bool == true)

            #expect(try await client.admin(.delete, "/api/profiles/\(id)").status == .noContent)
            #expect(try await client.admin(.get, "/api/profiles/\(id)").status == .notFound)
        }
    }

    @Test("an LLM proxy is listed under /api/llm-proxies with kind llm_proxy, and not under /api/profiles")
    func llmProxies() async throws {
        try await AdminTestHarness.make().run { client in
            let created = try await client.admin(.post, "/api/llm-proxies", json: #"{"name":"router"}"#)
            #expect(created.status == .created)
            let id = try #require(try created.object()["id"] as? String)
            #expect(try created.object()["kind"] as? String == "llm_proxy")
            #expect(try await client.admin(.get, "/api/llm-proxies/\(id)").status == .ok)
            #expect(try await client.admin(.get, "/api/profiles/\(id)").status == .notFound)
            let proxies = try await client.admin(.get, "/api/llm-proxies").array()
            #expect(proxies.contains { $0["id"] as? String == id })
            // The default profile also serves as the default LLM proxy.
            #expect(proxies.contains { $0["is_default"] as? Bool == true })
            #expect(try await client.admin(.get, "/api/profiles").array().allSatisfy { $0["kind"] as? String == "profile" })
        }
    }

    @Test("deleting the default profile is 409, through either collection", arguments: ["/api/profiles", "/api/llm-proxies"])
    func defaultProfileConflict(collection: String) async throws {
        let harness = try await AdminTestHarness.make()
        let defaultID = try await harness.store.defaultProfile().id.uuidString.lowercased()
        try await harness.run { client in
            let response = try await client.admin(.delete, "\(collection)/\(defaultID)")
            #expect(response.status == .conflict)
            #expect(try response.errorCode() == "conflict")
            #expect(try await client.admin(.get, "/api/profiles/\(defaultID)").status == .ok)
        }
    }

    @Test("an unknown id and a malformed id are both 404", arguments: ["/api/profiles/\(UUID())", "/api/profiles/not-a-uuid", "/api/llm-proxies/1234"])
    func unknownIDs(path: String) async throws {
        try await AdminTestHarness.make().run { client in
            for method in [HTTPRequest.Method.get, .patch, .delete] {
                let response = try await client.admin(method, path, json: method == .patch ? #"{"name":"x"}"# : nil)
                #expect(response.status == .notFound)
                #expect(try response.errorCode() == "not_found")
            }
        }
    }

    @Test("bad profile input is 400 naming the field", arguments: [
        (#"{}"#, "name"),
        (#"{"name":""}"#, "name"),
        (#"{"name":42}"#, "name"),
        (#"{"name":"a","consider_context_untrusted":"yes"}"#, "consider_context_untrusted"),
        (#"{"name":"a","kind":"llm_proxy"}"#, "kind"),
        ("{\"name\":\"\(String(repeating: "x", count: 201))\"}", "name"),
    ])
    func badInput(body: String, field: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/profiles", json: body)
            #expect(response.status == .badRequest)
            #expect(try response.errorMessage()?.contains("`\(field)`") == true)
        }
    }

    @Test("PATCH with null for a field that cannot be cleared is 400")
    func patchNull() async throws {
        try await AdminTestHarness.make().run { client in
            let id = try #require(try await client.admin(.post, "/api/profiles", json: #"{"name":"a"}"#).object()["id"] as? String)
            let response = try await client.admin(.patch, "/api/profiles/\(id)", json: #"{"name":null}"#)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "invalid_field")
        }
    }
}
