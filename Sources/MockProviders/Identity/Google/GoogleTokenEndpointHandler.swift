import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// Google's OAuth2 token endpoint, `POST /token` (PROTOCOLS.md §8.5): the JWT-bearer grant,
/// verified for real (RS256 against the emulator's service-account key; `iss`, `aud`, `iat`,
/// `exp`), and the refresh-token grant of the test `authorized_user` client. Errors are Google's
/// `{"error": …, "error_description": …}`.
package struct GoogleTokenEndpointHandler: Sendable {
    let tokenLifetime: TimeInterval

    package init(tokenLifetime: Double = 3599) {
        self.tokenLifetime = tokenLifetime
    }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = Self.formFields(String(buffer: body))
        switch form["grant_type"] {
        case "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self.jwtBearer(form["assertion"] ?? "", host: request.head.authority ?? request.headers[named: "host"])
        case "refresh_token":
            guard form["client_id"] == GoogleMockIdentity.userClientID,
                ConstantTimeComparison.areEqual(form["client_secret"] ?? "", GoogleMockIdentity.userClientSecret)
            else {
                return Self.error(.unauthorized, "invalid_client", "The OAuth client was not found.")
            }
            guard ConstantTimeComparison.areEqual(form["refresh_token"] ?? "", GoogleMockIdentity.userRefreshToken) else {
                return Self.error(.badRequest, "invalid_grant", "Bad Request")
            }
            let scopes = form["scope"].map { $0.split(separator: " ").map(String.init) } ?? [GoogleMockIdentity.cloudPlatformScope]
            return self.tokenResponse(scopes: scopes, extra: ["refresh_token_expires_in": .int(604_799)])
        case let grant?:
            return Self.error(.badRequest, "unsupported_grant_type", "Invalid grant_type: \(grant)")
        case nil:
            return Self.error(.badRequest, "unsupported_grant_type", "Invalid grant_type: ")
        }
    }

    private func jwtBearer(_ assertion: String, host: String?) -> Response {
        let assertion = assertion.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = GoogleMockIdentity.signingKey?.verificationKey,
            let claims = RS256JWT.verifiedClaims(of: assertion, key: key)
        else {
            return Self.error(.badRequest, "invalid_grant", "Invalid JWT Signature.")
        }
        guard claims["iss"] as? String == GoogleMockIdentity.clientEmail else {
            return Self.error(.badRequest, "invalid_grant", "Invalid grant: account not found")
        }
        let audience = claims["aud"] as? String ?? ""
        let ownAudiences = host.map { ["http://\($0)/token", "https://\($0)/token"] } ?? []
        guard GoogleMockIdentity.googleTokenAudiences.contains(audience) || ownAudiences.contains(audience) else {
            return Self.error(.badRequest, "invalid_grant", "Invalid JWT: Failed audience check.")
        }
        let now = Date().timeIntervalSince1970
        guard let issuedAt = Self.number(claims["iat"]), let expiry = Self.number(claims["exp"]),
            expiry > issuedAt, expiry - issuedAt <= 3600, issuedAt <= now + 300, expiry > now - 300
        else {
            return Self.error(
                .badRequest, "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."
            )
        }
        if let audience = claims["target_audience"] as? String {
            guard let token = try? GoogleMockIdentity.idToken(audience: audience) else {
                return Self.error(.internalServerError, "internal_failure", "Could not sign the ID token.")
            }
            return Self.json(.ok, ["id_token": .string(token)])
        }
        guard let scope = claims["scope"] as? String, !scope.isEmpty else {
            return Self.error(.badRequest, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        }
        return self.tokenResponse(scopes: scope.split(separator: " ").map(String.init), extra: [:])
    }

    private func tokenResponse(scopes: [String], extra: [String: JSONValue]) -> Response {
        var object: [String: JSONValue] = [
            "access_token": .string(GoogleMockIdentity.issueAccessToken(scopes: scopes, lifetime: self.tokenLifetime)),
            "expires_in": .int(Int(self.tokenLifetime)), "token_type": "Bearer", "scope": .string(scopes.joined(separator: " ")),
        ]
        object.merge(extra) { first, _ in first }
        return Self.json(.ok, .object(object))
    }

    static func number(_ value: Any?) -> Double? {
        if let value = value as? Int { return Double(value) }
        if let value = value as? Double { return value }
        if let value = value as? Int64 { return Double(value) }
        return nil
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ description: String) -> Response {
        Self.json(status, ["error": .string(code), "error_description": .string(description)])
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache, no-store, max-age=0, must-revalidate"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encodedData()))
        )
    }

    /// `application/x-www-form-urlencoded` fields, `+` as space, percent-decoded.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            fields[decode(parts[0])] = parts.count == 2 ? decode(parts[1]) : ""
        }
        return fields
    }
}
