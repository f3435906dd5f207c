import AdminAPI
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Admin token guard")
struct AdminAuthenticationTests {
    @Test("a request without Authorization is 401 missing_admin_token, in the error envelope")
    func missingToken() async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(.get, "/api/profiles", token: nil)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/json")
            let error = try #require(try response.object()["error"] as? [String: Any])
            #expect(error["type"] as? String == "authentication_error")
            #expect(error["code"] as? String == "missing_admin_token")
            #expect(error["message"] is String)
        }
    }

    @Test("a wrong token is 401 invalid_admin_token and never logged", arguments: ["wrong-token-value-123", "test-admin-token-0123456789abcdeX", "z-9"])
    func wrongToken(token: String) async throws {
        let harness = try await AdminTestHarness.make()
        try await harness.run { client in
            let response = try await client.admin(.get, "/api/profiles", token: token)
            #expect(response.status == .unauthorized)
            #expect(try response.errorCode() == "invalid_admin_token")
            #expect(!response.text.contains(token))
        }
        #expect(!harness.loggedText.contains(token))
    }

    @Test("a token under another scheme than Bearer is refused")
    func basicSchemeRefused() async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.admin(
                .get, "/api/profiles", token: nil, headers: [.authorization: "Basic \(AdminTestHarness.adminToken)"]
            )
            #expect(response.status == .unauthorized)
            #expect(try response.errorCode() == "invalid_admin_token")
        }
    }

    @Test("the right token passes, whatever the case of `Bearer`")
    func rightToken() async throws {
        try await AdminTestHarness.make().run { client in
            #expect(try await client.admin(.get, "/api/profiles").status == .ok)
            let lowercase = try await client.admin(
                .get, "/api/profiles", token: nil, headers: [.authorization: "bearer \(AdminTestHarness.adminToken)"]
            )
            #expect(lowercase.status == .ok)
        }
    }

    @Test("wrong tokens past the limit are 429 with retry-after, and then even the right token waits")
    func rateLimited() async throws {
        try await AdminTestHarness.make(maximumFailures: 3).run { client in
            for _ in 0..<3 {
                #expect(try await client.admin(.get, "/api/profiles", token: "guess-guess-guess-guess").status == .unauthorized)
            }
            let limited = try await client.admin(.get, "/api/profiles", token: "guess-guess-guess-guess")
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.errorCode() == "too_many_failed_authentications")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(try await client.admin(.get, "/api/profiles").status == .tooManyRequests)
        }
    }

    @Test("a missing header is not counted as a guess")
    func missingHeaderNotCounted() async throws {
        try await AdminTestHarness.make(maximumFailures: 2).run { client in
            for _ in 0..<5 {
                let response = try await client.admin(.get, "/api/profiles", token: nil)
                #expect(response.status == .unauthorized)
            }
            #expect(try await client.admin(.get, "/api/profiles").status == .ok)
        }
    }

    @Test("behind a trusted proxy, failures count per forwarded client, not for the proxy as a whole")
    func countsPerForwardedClient() async throws {
        // In router tests the socket peer is unknown; trusting "unknown" stands for trusting the load balancer.
        try await AdminTestHarness.make(maximumFailures: 2, trustedProxies: ["unknown"]).run { client in
            let forwardedFor = try #require(HTTPField.Name("X-Forwarded-For"))
            let attacker: HTTPFields = [forwardedFor: "203.0.113.9"]
            let bystander: HTTPFields = [forwardedFor: "198.51.100.7"]
            for _ in 0..<2 {
                _ = try await client.admin(.get, "/api/profiles", token: "guess-guess-guess-guess", headers: attacker)
            }
            #expect(try await client.admin(.get, "/api/profiles", headers: attacker).status == .tooManyRequests)
            #expect(try await client.admin(.get, "/api/profiles", headers: bystander).status == .ok)
        }
    }

    @Test("the OpenAPI document and the token endpoint need no admin token")
    func openRoutes() async throws {
        try await AdminTestHarness.make().run { client in
            #expect(try await client.admin(.get, "/api/openapi.json", token: nil).status == .ok)
            let token = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=a&client_secret=b")
            #expect(token.status == .unauthorized)
            #expect(try token.object()["error"] as? String == "invalid_client")
        }
    }
}
