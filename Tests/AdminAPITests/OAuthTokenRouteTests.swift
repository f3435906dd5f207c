import AdminAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("OAuth token endpoint")
struct OAuthTokenRouteTests {
    struct Client {
        let id: String
        let secret: String
    }

    /// Creates an OAuth client straight in the store.
    static func client(_ harness: AdminTestHarness) async throws -> Client {
        let created = try await harness.store.createOAuthClient(.init(name: "svc"))
        return Client(id: created.client.clientID, secret: created.secret.exposedValue)
    }

    static func basic(_ id: String, _ secret: String) -> String {
        let encode = { (value: String) in value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value }
        return "Basic " + Data("\(encode(id)):\(encode(secret))".utf8).base64EncodedString()
    }

    static func expectError(_ response: TestResponse, status: HTTPResponse.Status, code: String) throws {
        #expect(response.status == status)
        let body = try response.object()
        #expect(body["error"] as? String == code)
        #expect(body["error_description"] is String)
        #expect(response.headers[.cacheControl] == "no-store")
    }

    @Test("credentials in the form body get a Bearer token, uncacheable")
    func bodyCredentials() async throws {
        let harness = try await AdminTestHarness.make()
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            let response = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=\(credentials.secret)")
            #expect(response.status == .ok)
            let body = try response.object()
            #expect((body["access_token"] as? String)?.hasPrefix("llm_at_") == true)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 3600)
            #expect(body["scope"] as? String == "llm:proxy")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[try #require(HTTPField.Name("Pragma"))] == "no-cache")
        }
        #expect(!harness.loggedText.contains(credentials.secret))
    }

    @Test("credentials in HTTP Basic get a token; an explicit llm:proxy scope is accepted")
    func basicCredentials() async throws {
        let harness = try await AdminTestHarness.make()
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            let response = try await client.tokenRequest(
                form: "grant_type=client_credentials&scope=llm%3Aproxy", headers: [.authorization: Self.basic(credentials.id, credentials.secret)]
            )
            #expect(response.status == .ok)
            #expect(try response.object()["scope"] as? String == "llm:proxy")
        }
    }

    @Test("credentials in both places are invalid_request")
    func bothPlaces() async throws {
        let harness = try await AdminTestHarness.make()
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            let response = try await client.tokenRequest(
                form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=\(credentials.secret)",
                headers: [.authorization: Self.basic(credentials.id, credentials.secret)]
            )
            try Self.expectError(response, status: .badRequest, code: "invalid_request")
        }
    }

    @Test("a wrong secret is 401 invalid_client; with Basic it carries the Basic challenge")
    func wrongSecret() async throws {
        let harness = try await AdminTestHarness.make()
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            let body = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=wrong")
            try Self.expectError(body, status: .unauthorized, code: "invalid_client")
            #expect(body.headers[.wwwAuthenticate] == nil)
            let basic = try await client.tokenRequest(form: "grant_type=client_credentials", headers: [.authorization: Self.basic(credentials.id, "wrong")])
            try Self.expectError(basic, status: .unauthorized, code: "invalid_client")
            #expect(basic.headers[.wwwAuthenticate] == #"Basic realm="archestra""#)
            let unknown = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=llm_oauth_nobody&client_secret=x")
            try Self.expectError(unknown, status: .unauthorized, code: "invalid_client")
        }
    }

    @Test("a revoked client is invalid_client")
    func revokedClient() async throws {
        let harness = try await AdminTestHarness.make()
        let created = try await harness.store.createOAuthClient(.init())
        _ = try await harness.store.revokeOAuthClient(id: created.client.id)
        try await harness.run { client in
            let response = try await client.tokenRequest(
                form: "grant_type=client_credentials&client_id=\(created.client.clientID)&client_secret=\(created.secret.exposedValue)"
            )
            try Self.expectError(response, status: .unauthorized, code: "invalid_client")
        }
    }

    @Test("malformed requests get RFC 6749's codes", arguments: [
        ("client_id=a&client_secret=b", "invalid_request"),
        ("grant_type=password&client_id=a&client_secret=b", "unsupported_grant_type"),
        ("grant_type=authorization_code&code=x", "unsupported_grant_type"),
        ("grant_type=client_credentials&client_id=a&client_secret=b&scope=admin", "invalid_scope"),
        ("grant_type=client_credentials&client_id=a&client_secret=b&scope=llm%3Aproxy+admin", "invalid_scope"),
        ("grant_type=client_credentials&client_id=a&client_secret=b&scope=", "invalid_scope"),
        ("grant_type=client_credentials&client_secret=b", "invalid_request"),
        ("grant_type=client_credentials&client_id=a", "invalid_request"),
        ("grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b", "invalid_request"),
        ("grant_type=client_credentials&client_id=%ZZ&client_secret=b", "invalid_request"),
    ])
    func malformed(form: String, code: String) async throws {
        try await AdminTestHarness.make().run { client in
            try Self.expectError(try await client.tokenRequest(form: form), status: .badRequest, code: code)
        }
    }

    @Test("a body that is not a form is invalid_request", arguments: ["application/json", "text/plain", nil] as [String?])
    func wrongContentType(contentType: String?) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.tokenRequest(form: #"{"grant_type":"client_credentials"}"#, contentType: contentType)
            try Self.expectError(response, status: .badRequest, code: "invalid_request")
        }
    }

    @Test("a malformed Basic header is invalid_request", arguments: ["Basic !!!", "Basic " + Data("no-colon".utf8).base64EncodedString(), "basic"])
    func malformedBasic(header: String) async throws {
        try await AdminTestHarness.make().run { client in
            let response = try await client.tokenRequest(form: "grant_type=client_credentials", headers: [.authorization: header])
            try Self.expectError(response, status: .badRequest, code: "invalid_request")
        }
    }

    @Test("an Authorization header of another scheme is not client authentication: the body's credentials count")
    func otherSchemeIgnored() async throws {
        let harness = try await AdminTestHarness.make()
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            let response = try await client.tokenRequest(
                form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=\(credentials.secret)",
                headers: [.authorization: "Bearer something-else"]
            )
            #expect(response.status == .ok)
            let unauthenticated = try await client.tokenRequest(form: "grant_type=client_credentials", headers: [.authorization: "Bearer something-else"])
            try Self.expectError(unauthenticated, status: .badRequest, code: "invalid_request")
        }
    }

    @Test("ten failed authentications from one address, then 429 with retry-after even for good credentials")
    func rateLimited() async throws {
        let harness = try await AdminTestHarness.make()
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            for _ in 0..<10 {
                let response = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=guess")
                #expect(response.status == .unauthorized)
            }
            let limited = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=\(credentials.secret)")
            try Self.expectError(limited, status: .tooManyRequests, code: "temporarily_unavailable")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
        }
    }

    @Test("malformed requests do not count toward the limit")
    func malformedNotCounted() async throws {
        let harness = try await AdminTestHarness.make(maximumFailures: 2)
        let credentials = try await Self.client(harness)
        try await harness.run { client in
            for _ in 0..<5 {
                _ = try await client.tokenRequest(form: "grant_type=password")
            }
            let response = try await client.tokenRequest(form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=\(credentials.secret)")
            #expect(response.status == .ok)
        }
    }
}
