package import HTTPTypes
package import Hummingbird
import NIOCore

/// Every failure the admin API answers with: `{"error":{"message","type","code"}}`, the OpenAI
/// envelope, so that the same client code reads admin and proxy errors.
///
/// A struct around a private kind rather than an open enum, so that new codes can be added
/// without breaking a `switch` elsewhere. Messages name the field or the id at fault, never a
/// secret: they are built from request *structure* (field names, ids we generated), never from
/// a credential's value.
package struct AdminAPIError: HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    package let status: HTTPResponse.Status
    /// The envelope's `type`: a broad class (`authentication_error`, `invalid_request_error`, ...).
    package let type: String
    /// The envelope's `code`: a stable, bounded identifier, safe for metric labels.
    package let code: String
    package let message: String
    /// Seconds to wait, sent as `retry-after` (only with 429).
    package let retryAfterSeconds: Int?
    /// The methods the path does serve, sent as `allow` (only with 405).
    package let allowedMethods: [HTTPRequest.Method]

    private init(
        status: HTTPResponse.Status, type: String, code: String, message: String, retryAfterSeconds: Int? = nil,
        allowedMethods: [HTTPRequest.Method] = []
    ) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.allowedMethods = allowedMethods
    }

    package var description: String { "\(self.status.code) \(self.code): \(self.message)" }

    // MARK: 401 and 429

    package static let missingAdminToken = AdminAPIError(
        status: .unauthorized, type: "authentication_error", code: "missing_admin_token",
        message: "the admin API needs `Authorization: Bearer <admin token>`"
    )
    package static let invalidAdminToken = AdminAPIError(
        status: .unauthorized, type: "authentication_error", code: "invalid_admin_token", message: "the admin token is not valid"
    )
    package static func tooManyFailedAttempts(retryAfter seconds: Int) -> AdminAPIError {
        AdminAPIError(
            status: .tooManyRequests, type: "rate_limit_error", code: "too_many_failed_authentications",
            message: "too many failed authentications from this address; retry after \(seconds) s", retryAfterSeconds: seconds
        )
    }

    // MARK: 400

    package static let malformedJSON = AdminAPIError(
        status: .badRequest, type: "invalid_request_error", code: "malformed_json", message: "the request body is not valid JSON"
    )
    package static let bodyNotAnObject = AdminAPIError(
        status: .badRequest, type: "invalid_request_error", code: "invalid_body", message: "the request body must be a JSON object"
    )
    /// A field of the wrong type, missing, null where a value is needed, or with a value outside its rule.
    package static func invalidField(_ field: String, _ problem: String) -> AdminAPIError {
        AdminAPIError(status: .badRequest, type: "invalid_request_error", code: "invalid_field", message: "`\(field)` \(problem)")
    }
    package static func unknownField(_ field: String) -> AdminAPIError {
        AdminAPIError(status: .badRequest, type: "invalid_request_error", code: "unknown_field", message: "`\(field)` is not a field of this request")
    }
    /// The unknown name is not echoed: a pasted key in the wrong field must not come back in an error.
    package static func unknownProvider(known: [String]) -> AdminAPIError {
        AdminAPIError(
            status: .badRequest, type: "invalid_request_error", code: "unknown_provider",
            message: "`provider` is not a provider of this proxy; known providers: \(known.joined(separator: ", "))"
        )
    }
    package static func invalidBaseURL(_ field: String, rule: String) -> AdminAPIError {
        AdminAPIError(status: .badRequest, type: "invalid_request_error", code: "invalid_base_url", message: "`\(field)` \(rule)")
    }
    /// The store refused the input (an unknown provider key id, two keys for one provider).
    package static func rejected(_ message: String) -> AdminAPIError {
        AdminAPIError(status: .badRequest, type: "invalid_request_error", code: "invalid_reference", message: message)
    }

    // MARK: 404, 409, 413, 415

    package static func notFound(_ resource: String) -> AdminAPIError {
        AdminAPIError(status: .notFound, type: "not_found_error", code: "not_found", message: "no \(resource) with this id")
    }
    package static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> AdminAPIError {
        AdminAPIError(
            status: .methodNotAllowed, type: "invalid_request_error", code: "method_not_allowed",
            message: "this path serves \(allowed.map(\.rawValue).joined(separator: ", ")) only", allowedMethods: allowed
        )
    }
    package static func conflict(_ message: String) -> AdminAPIError {
        AdminAPIError(status: .conflict, type: "conflict_error", code: "conflict", message: message)
    }
    package static func bodyTooLarge(limit: Int) -> AdminAPIError {
        AdminAPIError(
            status: .contentTooLarge, type: "invalid_request_error", code: "body_too_large",
            message: "the request body is larger than \(limit) bytes"
        )
    }
    package static let unsupportedMediaType = AdminAPIError(
        status: .unsupportedMediaType, type: "invalid_request_error", code: "unsupported_media_type",
        message: "the request body must be `application/json`"
    )

    // MARK: 500

    /// A store failure that is not the client's doing; the message stays generic because an
    /// engine message may name internals, and the details go to the log instead.
    package static let storeFailure = AdminAPIError(
        status: .internalServerError, type: "api_error", code: "store_failure", message: "the gateway store failed; see the server log"
    )

    // MARK: 503

    /// The database cannot be reached (down, or slower than its query timeout): a condition that
    /// passes, which clients and load balancers may retry, unlike a 500.
    package static let storeUnavailable = AdminAPIError(
        status: .serviceUnavailable, type: "api_error", code: "store_unavailable",
        message: "the gateway's database cannot be reached; retry shortly", retryAfterSeconds: 1
    )

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let seconds = self.retryAfterSeconds {
            headers[.retryAfter] = String(seconds)
        }
        if !self.allowedMethods.isEmpty {
            headers[.allow] = self.allowedMethods.map(\.rawValue).joined(separator: ", ")
        }
        let body = AdminErrorBody(error: .init(message: self.message, type: self.type, code: self.code))
        let buffer = try AdminJSON.encode(body)
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: buffer))
    }
}

/// The JSON envelope of ``AdminAPIError``.
package struct AdminErrorBody: Codable, Sendable, Equatable {
    package struct Detail: Codable, Sendable, Equatable {
        package var message: String
        package var type: String
        package var code: String
    }

    package var error: Detail
}
