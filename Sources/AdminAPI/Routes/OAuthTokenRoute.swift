import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WireFormats

/// `POST /api/auth/oauth2/token`: the client credentials grant (RFC 6749 §4.4) for LLM OAuth
/// clients. No admin token: the client's own id and secret are the credential, in the form body
/// or in HTTP Basic (§2.3.1), never both.
///
/// Failed client authentications count per client address in the shared
/// ``FailedAuthenticationLimiter``; over the limit the endpoint answers 429 before looking at
/// the credentials, so a secret cannot be brute-forced through it.
struct OAuthTokenRoute<Context: RemoteAddressRequestContext>: Sendable {
    static var supportedScope: String { "llm:proxy" }
    /// A token request is a few hundred bytes.
    static var maximumBodyBytes: Int { 16 * 1024 }

    let issuer: any AccessTokenIssuer
    let limiter: FailedAuthenticationLimiter
    let addressResolver: ClientAddressResolver
    let lifetime: Duration
    let logger: Logger

    func handle(_ request: Request, context: Context) async throws -> Response {
        let address = ClientAddress.of(request, context: context, resolver: self.addressResolver)
        if let seconds = self.limiter.retryAfter(address: address) {
            throw OAuthTokenError.tooManyFailedAttempts(retryAfter: seconds)
        }
        let tokenRequest = try await self.parse(request)
        let issued: IssuedAccessToken?
        do {
            issued = try await self.issuer.issueAccessToken(
                clientID: tokenRequest.clientID, secret: tokenRequest.clientSecret, scope: Self.supportedScope, lifetime: self.lifetime, now: Date()
            )
        } catch {
            self.logger.error("access token issuance failed", metadata: ["error": .string(String(describing: error))])
            throw OAuthTokenError.serverError
        }
        guard let issued else {
            self.limiter.recordFailure(address: address)
            self.logger.notice("OAuth client authentication failed", metadata: ["client.address": .string(address)])
            throw OAuthTokenError.invalidClient(usedBasic: tokenRequest.usedBasic)
        }
        let body = AccessTokenResponse(accessToken: issued.value.exposedValue, expiresIn: issued.expiresIn, scope: issued.scope)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        // RFC 6749 §5.1: a response carrying a token must not be cached.
        headers[.cacheControl] = "no-store"
        if let pragma = HTTPField.Name("Pragma") { headers[pragma] = "no-cache" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: try AdminJSON.encode(body)))
    }

    private struct TokenRequest {
        var clientID: String
        var clientSecret: Secret
        var usedBasic: Bool
    }

    private func parse(_ request: Request) async throws -> TokenRequest {
        guard JSONRequestBody.mediaType(request.headers[.contentType]) == "application/x-www-form-urlencoded" else {
            throw OAuthTokenError.invalidRequest("the body must be `application/x-www-form-urlencoded`")
        }
        let buffer = try await JSONRequestBody.collect(
            request, limit: Self.maximumBodyBytes, tooLarge: OAuthTokenError.bodyTooLarge(limit: Self.maximumBodyBytes)
        )
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self), let form = FormURLEncoded.parse(text) else {
            throw OAuthTokenError.invalidRequest("the body is not valid form encoding")
        }
        // RFC 6749 §3.2: parameters must not be included more than once.
        if let repeated = form.first(where: { $0.value.count > 1 && Self.knownParameters.contains($0.key) })?.key {
            throw OAuthTokenError.invalidRequest("`\(repeated)` is sent more than once")
        }
        guard let grantType = form["grant_type"]?.first else {
            throw OAuthTokenError.invalidRequest("`grant_type` is required")
        }
        guard grantType == "client_credentials" else { throw OAuthTokenError.unsupportedGrantType }
        let credentials = try Self.clientCredentials(form: form, authorization: request.headers[.authorization])
        if let scope = form["scope"]?.first {
            // A space-separated set (§3.3); every member must be ours.
            let scopes = scope.split(separator: " ")
            guard !scopes.isEmpty, scopes.allSatisfy({ $0 == Self.supportedScope }) else { throw OAuthTokenError.invalidScope }
        }
        return credentials
    }

    private static var knownParameters: Set<String> { ["grant_type", "client_id", "client_secret", "scope"] }

    private static func clientCredentials(form: [String: [String]], authorization: String?) throws -> TokenRequest {
        let bodyID = form["client_id"]?.first
        let bodySecret = form["client_secret"]?.first
        // Only Basic is a client authentication method here; another scheme (a bearer token a
        // gateway in front added) says nothing about the client and is ignored.
        if let authorization, Self.isBasic(authorization) {
            // §2.3: a client must not use more than one authentication method per request.
            guard bodyID == nil, bodySecret == nil else {
                throw OAuthTokenError.invalidRequest("send the client credentials either with HTTP Basic or in the body, not both")
            }
            guard let (id, secret) = Self.basicCredentials(authorization) else {
                throw OAuthTokenError.invalidRequest("the `Authorization` header is not valid HTTP Basic client authentication")
            }
            return TokenRequest(clientID: id, clientSecret: Secret(secret), usedBasic: true)
        }
        guard let bodyID, !bodyID.isEmpty else { throw OAuthTokenError.invalidRequest("`client_id` is required") }
        guard let bodySecret, !bodySecret.isEmpty else { throw OAuthTokenError.invalidRequest("`client_secret` is required") }
        return TokenRequest(clientID: bodyID, clientSecret: Secret(bodySecret), usedBasic: false)
    }

    static func isBasic(_ authorization: String) -> Bool {
        authorization.split(separator: " ", maxSplits: 1).first?.lowercased() == "basic"
    }

    /// `Basic base64(form-encoded id ":" form-encoded secret)` (RFC 6749 §2.3.1).
    static func basicCredentials(_ authorization: String) -> (String, String)? {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic", authorization.utf8.count <= 4096,
            let decoded = Data(base64Encoded: String(parts[1].trimmingCharacters(in: .whitespaces))),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        let pair = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard pair.count == 2, let id = FormURLEncoded.decode(pair[0]), let secret = FormURLEncoded.decode(pair[1]), !id.isEmpty, !secret.isEmpty
        else { return nil }
        return (id, secret)
    }
}

/// RFC 6749 §5.1's successful response.
struct AccessTokenResponse: Encodable {
    var accessToken: String
    var tokenType = "Bearer"
    var expiresIn: Int
    var scope: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
    }
}
