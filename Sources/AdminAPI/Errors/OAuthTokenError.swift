package import HTTPTypes
package import Hummingbird

/// An error of the token endpoint, in RFC 6749 §5.2's shape: `{"error","error_description"}`,
/// which every OAuth client library parses, rather than the admin API's envelope.
package struct OAuthTokenError: HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    package let status: HTTPResponse.Status
    /// RFC 6749's error code (`invalid_request`, `invalid_client`, ...).
    package let code: String
    package let errorDescription: String
    /// RFC 6749 §5.2: a 401 for a client that authenticated with HTTP Basic carries the challenge
    /// of the scheme it used.
    package let challengesBasic: Bool
    package let retryAfterSeconds: Int?

    private init(status: HTTPResponse.Status, code: String, description: String, challengesBasic: Bool = false, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.errorDescription = description
        self.challengesBasic = challengesBasic
        self.retryAfterSeconds = retryAfterSeconds
    }

    package var description: String { "\(self.status.code) \(self.code): \(self.errorDescription)" }

    package static func invalidRequest(_ description: String) -> OAuthTokenError {
        OAuthTokenError(status: .badRequest, code: "invalid_request", description: description)
    }
    package static let unsupportedGrantType = OAuthTokenError(
        status: .badRequest, code: "unsupported_grant_type", description: "only `client_credentials` is supported"
    )
    package static let invalidScope = OAuthTokenError(
        status: .badRequest, code: "invalid_scope", description: "the only scope is `llm:proxy`"
    )
    package static func invalidClient(usedBasic: Bool) -> OAuthTokenError {
        OAuthTokenError(
            status: .unauthorized, code: "invalid_client", description: "client authentication failed", challengesBasic: usedBasic
        )
    }
    /// RFC 6749 has no code for rate limiting; `temporarily_unavailable` is its nearest, and the
    /// status and `retry-after` say the rest.
    package static func tooManyFailedAttempts(retryAfter seconds: Int) -> OAuthTokenError {
        OAuthTokenError(
            status: .tooManyRequests, code: "temporarily_unavailable",
            description: "too many failed client authentications from this address; retry after \(seconds) s", retryAfterSeconds: seconds
        )
    }
    /// RFC 6749 §4.1.2.1's code for a failure on our side; details go to the log only.
    package static let serverError = OAuthTokenError(
        status: .internalServerError, code: "server_error", description: "the gateway store failed; see the server log"
    )
    package static func bodyTooLarge(limit: Int) -> OAuthTokenError {
        OAuthTokenError(status: .contentTooLarge, code: "invalid_request", description: "the request body is larger than \(limit) bytes")
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        // HTTPTypes has no `.pragma` constant; the literal is a valid name, so this never skips.
        if let pragma = HTTPField.Name("Pragma") { headers[pragma] = "no-cache" }
        if self.challengesBasic {
            headers[.wwwAuthenticate] = #"Basic realm="archestra""#
        }
        if let seconds = self.retryAfterSeconds {
            headers[.retryAfter] = String(seconds)
        }
        let body = OAuthTokenErrorBody(error: self.code, errorDescription: self.errorDescription)
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: try AdminJSON.encode(body)))
    }
}

package struct OAuthTokenErrorBody: Codable, Sendable, Equatable {
    package var error: String
    package var errorDescription: String

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
