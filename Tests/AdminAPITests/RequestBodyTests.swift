import AdminAPI
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Request bodies and failures")
struct RequestBodyTests {
    @Test("malformed JSON is 400 malformed_json", arguments: [#"{"name":"#, "not json", #"{"name" "a"}"#, ""])
    func malformed(body: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/profiles", json: body)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "malformed_json")
        }
    }

    @Test("a body that is JSON but not an object is 400 invalid_body", arguments: ["[]", "null", "42", #""name""#])
    func notAnObject(body: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/profiles", json: body)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "invalid_body")
        }
    }

    @Test("a body that is not JSON is 415", arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
    func wrongMediaType(contentType: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/profiles", json: #"{"name":"a"}"#, headers: [.contentType: contentType])
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.errorCode() == "unsupported_media_type")
        }
    }

    @Test("no content type is 415; JSON with a charset or a +json type is accepted")
    func mediaTypeVariants() async throws {
        try await AdminTestHarness.make().run { client in
            let bare = try await client.execute(
                uri: "/api/profiles", method: .post, headers: [.authorization: "Bearer \(AdminTestHarness.adminToken)"],
                body: ByteBuffer(string: #"{"name":"a"}"#)
            )
            #expect(bare.status == .unsupportedMediaType)
            for type in ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"] {
                let response = try await client.admin(.post, "/api/profiles", json: #"{"name":"a"}"#, headers: [.contentType: type])
                #expect(response.status == .created)
            }
        }
    }

    @Test("a body over 1 MiB is 413, on every route that takes one")
    func oversize() async throws {
        let big = #"{"name":""# + String(repeating: "x", count: 1 << 20) + #""}"#
        try await AdminTestHarness.make().run { client in
            for path in ["/api/profiles", "/api/provider-keys", "/api/virtual-keys", "/api/oauth-clients"] {
                let response = try await client.admin(.post, path, json: big)
                #expect(response.status == .contentTooLarge)
                #expect(try response.errorCode() == "body_too_large")
            }
        }
    }

    @Test("a body just under 1 MiB is read (and refused for its content, not its size)")
    func justUnderLimit() async throws {
        let body = #"{"name":""# + String(repeating: "x", count: (1 << 20) - 20) + #""}"#
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.post, "/api/profiles", json: body)
            #expect(response.status == .badRequest)
            #expect(try response.errorMessage()?.contains("`name`") == true)
        }
    }

    @Test("a failing store is a 500 without detail, logged with its description")
    func storeFailure() async throws {
        let store = InMemoryGatewayStore()
        await store.setFailure(.engine("SQLITE_BUSY in table provider_keys"))
        let harness = AdminTestHarness(store: store, tokenIssuer: InMemoryAccessTokenIssuer(store: store))
        try await harness.run { client in
            let response = try await client.admin(.get, "/api/provider-keys")
            #expect(response.status == .internalServerError)
            #expect(try response.errorCode() == "store_failure")
            #expect(!response.text.contains("SQLITE"))
        }
        #expect(harness.loggedText.contains("SQLITE_BUSY"))
    }

    @Test("an unreachable database is a 503 with retry-after, logged with its cause")
    func storeUnavailable() async throws {
        let store = InMemoryGatewayStore()
        await store.setFailure(.unavailable("connection refused by 10.0.0.7:5432"))
        let harness = AdminTestHarness(store: store, tokenIssuer: InMemoryAccessTokenIssuer(store: store))
        try await harness.run { client in
            let response = try await client.admin(.get, "/api/virtual-keys")
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(try response.errorCode() == "store_unavailable")
            #expect(!response.text.contains("10.0.0.7"))
        }
        #expect(harness.loggedText.contains("connection refused by 10.0.0.7"))
    }
}

@Suite("RFC 3339 dates")
struct RFC3339Tests {
    @Test("date-times with Z, an offset, lower case or fractions parse to the same instant", arguments: [
        "2030-01-02T03:04:05Z", "2030-01-02T05:04:05+02:00", "2030-01-02t03:04:05z", "2030-01-02T03:04:05.000Z", "2030-01-01T22:04:05-05:00",
    ])
    func parses(text: String) throws {
        let date = try #require(RFC3339.date(from: text))
        #expect(RFC3339.string(from: date) == "2030-01-02T03:04:05.000Z")
    }

    @Test("a date without a time zone, or not a date, does not parse", arguments: ["2030-01-02T03:04:05", "2030-01-02", "tomorrow", ""])
    func refuses(text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }
}
