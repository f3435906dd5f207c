package import Foundation
package import HTTPTypes

/// An error the proxy answers itself, before or instead of the upstream's answer.
///
/// Each dialect renders it in the shape its SDKs parse. The message never contains a credential
/// or a request body: it is written to clients and logs alike.
package struct ProxyError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case malformedJSON = "invalid_json"
        case malformedRequestBody = "invalid_request_body"
        case unsupportedMediaType = "unsupported_media_type"
        case missingCredential = "missing_api_key"
        case invalidCredential = "invalid_api_key"
        case clientAuthenticationRequired = "gateway_credential_required"
        case forbidden = "forbidden"
        case noProviderKey = "no_provider_key"
        case unknownProfile = "unknown_profile"
        case tooManyFailedAttempts = "too_many_failed_attempts"
        case bodyTooLarge = "request_too_large"
        case headerFieldsTooLarge = "request_header_fields_too_large"
        case uriTooLong = "uri_too_long"
        case invalidPath = "invalid_path"
        case unknownRoute = "unknown_route"
        case unknownModel = "model_not_found"
        case providerNotConfigured = "provider_not_configured"
        case upstreamUnreachable = "upstream_unreachable"
        case upstreamTimeout = "upstream_timeout"
        case upstreamStreamFailed = "upstream_stream_failed"
        case overloaded = "overloaded"
        case shuttingDown = "proxy_shutting_down"
        case gatewayUnavailable = "gateway_unavailable"
        case internalFailure = "internal_error"
        /// A spending limit is reached (GATEWAY.md §5): 402, never 429, so SDKs do not retry.
        case usageLimitExceeded = "token_cost_limit_exceeded"
    }

    package let code: Code
    package let message: String
    /// Whole seconds the client should wait before retrying, sent as `retry-after`.
    package var retryAfterSeconds: Int?
    /// For ``Code/usageLimitExceeded``: the kind of entity whose limit was reached
    /// (`virtual_key`, `agent`, `organization`), sent in OpenAI's body as `usage_limit.entity_type`.
    package var limitEntityType: String?

    package init(code: Code, message: String, retryAfterSeconds: Int? = nil, limitEntityType: String? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.limitEntityType = limitEntityType
    }

    package var status: HTTPResponse.Status {
        switch self.code {
        case .malformedJSON, .malformedRequestBody: return .badRequest
        case .unsupportedMediaType: return .unsupportedMediaType
        case .missingCredential, .invalidCredential, .clientAuthenticationRequired: return .unauthorized
        case .forbidden: return .forbidden
        case .noProviderKey: return .badRequest
        case .unknownProfile: return .notFound
        case .tooManyFailedAttempts: return .tooManyRequests
        case .bodyTooLarge: return .contentTooLarge
        case .headerFieldsTooLarge: return .requestHeaderFieldsTooLarge
        case .uriTooLong: return .uriTooLong
        case .invalidPath: return .badRequest
        case .unknownRoute, .unknownModel: return .notFound
        case .providerNotConfigured, .overloaded, .gatewayUnavailable, .shuttingDown: return .serviceUnavailable
        case .upstreamUnreachable, .upstreamStreamFailed: return .badGateway
        case .upstreamTimeout: return .gatewayTimeout
        case .internalFailure: return .internalServerError
        case .usageLimitExceeded: return HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
        }
    }

    /// Whether the fault is the client's (4xx) rather than the proxy's or upstream's.
    package var isClientError: Bool { (400..<500).contains(self.status.code) }

    package var description: String { "\(self.code.rawValue): \(self.message)" }

    package static func malformedJSON(_ detail: String) -> ProxyError {
        ProxyError(code: .malformedJSON, message: "We could not parse the JSON body of your request: \(detail)")
    }

    /// The body could not be read as sent (a broken chunked encoding, a connection cut mid-body).
    package static let malformedRequestBody = ProxyError(code: .malformedRequestBody, message: "The request body could not be read as sent.")

    package static func unsupportedMediaType(_ received: String?) -> ProxyError {
        ProxyError(
            code: .unsupportedMediaType,
            message: "Content-Type must be application/json, got \(received.map { "'\($0)'" } ?? "none")."
        )
    }

    package static func missingCredential(provider: String, fallbackVariable: String, sendAs form: String = "'Authorization: Bearer <key>'") -> ProxyError {
        ProxyError(
            code: .missingCredential,
            message: "No API key provided for \(provider). Send it as \(form) or set \(fallbackVariable) on the proxy."
        )
    }

    /// A gateway credential (virtual key, OAuth access token) that does not authenticate. `kind`
    /// says which ("virtual key"), `problem` why ("is not valid", "has expired", "was revoked").
    package static func invalidCredential(kind: String, problem: String) -> ProxyError {
        ProxyError(code: .invalidCredential, message: "The \(kind) you sent \(problem).")
    }

    package static func clientAuthenticationRequired(provider: String, reason: String) -> ProxyError {
        ProxyError(
            code: .clientAuthenticationRequired,
            message: "\(reason) Authenticate to the proxy with a virtual key (arch_…) or an OAuth access token (llm_at_…) for \(provider)."
        )
    }

    package static func forbidden(_ message: String) -> ProxyError {
        ProxyError(code: .forbidden, message: message)
    }

    package static func noProviderKey(provider: String, credential: String) -> ProxyError {
        ProxyError(code: .noProviderKey, message: "This \(credential) has no \(provider) key mapped; ask an administrator to map one.")
    }

    package static func unknownProfile(_ id: UUID) -> ProxyError {
        ProxyError(code: .unknownProfile, message: "No profile or LLM proxy with id \(id.uuidString.lowercased()).")
    }

    package static func tooManyFailedAttempts(retryAfter seconds: Int) -> ProxyError {
        ProxyError(
            code: .tooManyFailedAttempts,
            message: "Too many failed authentication attempts from your address; retry in \(seconds) s.",
            retryAfterSeconds: seconds
        )
    }

    package static func bodyTooLarge(limit: Int) -> ProxyError {
        ProxyError(code: .bodyTooLarge, message: "Request body exceeds the proxy's limit of \(limit) bytes (ARCHESTRA_API_BODY_LIMIT).")
    }

    package static func headerFieldsTooLarge(limit: Int) -> ProxyError {
        ProxyError(
            code: .headerFieldsTooLarge,
            message: "The request line and headers exceed the proxy's limit of \(limit) bytes (ARCHESTRA_MAX_HEADER_BYTES)."
        )
    }

    package static func tooManyHeaderFields(limit: Int) -> ProxyError {
        ProxyError(
            code: .headerFieldsTooLarge,
            message: "The request has more than the proxy's limit of \(limit) header fields (ARCHESTRA_MAX_HEADER_COUNT)."
        )
    }

    package static func uriTooLong(limit: Int) -> ProxyError {
        ProxyError(code: .uriTooLong, message: "The request target exceeds the proxy's limit of \(limit) bytes (ARCHESTRA_MAX_URI_BYTES).")
    }

    /// The path is not echoed: it is client input, and a log line or error body is no place for it.
    package static let dotSegmentInPath = ProxyError(
        code: .invalidPath,
        message: "The request path contains a '.' or '..' segment (possibly percent-encoded); the proxy does not forward such paths."
    )

    package static func unknownRoute(method: String, path: String) -> ProxyError {
        ProxyError(code: .unknownRoute, message: "No route for \(method) \(path). Provider routes look like /v1/<provider>[/<profile-id>]/<path>.")
    }

    /// A model-router model id that is not `<provider>:<model>` or names no provider.
    package static func unknownModel(_ model: String, problem: String) -> ProxyError {
        ProxyError(
            code: .unknownModel,
            message: "Model '\(model)' \(problem). Use a provider-qualified model id, <provider>:<model> (e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, bedrock:amazon.nova-pro-v1:0); GET /models lists them."
        )
    }

    package static func providerNotConfigured(provider: String, variable: String) -> ProxyError {
        ProxyError(code: .providerNotConfigured, message: "Provider \(provider) is not configured: set \(variable).")
    }

    package static func upstreamUnreachable(provider: String, reason: String) -> ProxyError {
        ProxyError(code: .upstreamUnreachable, message: "Could not reach the \(provider) upstream: \(reason).")
    }

    package static func upstreamTimeout(provider: String, reason: String) -> ProxyError {
        ProxyError(code: .upstreamTimeout, message: "The \(provider) upstream did not answer in time: \(reason).")
    }

    /// A stream still open when the shutdown grace was about to run out (``ShutdownCutoff``).
    package static let shuttingDown = ProxyError(
        code: .shuttingDown, message: "The proxy is shutting down: this stream was ended before the upstream finished it. Retry the request.")

    package static func upstreamStreamFailed(provider: String, reason: String) -> ProxyError {
        ProxyError(code: .upstreamStreamFailed, message: "The \(provider) upstream stream failed: \(reason).")
    }

    /// The request bodies in memory across all requests reached `ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES`.
    package static func bufferedBodiesOverCapacity(limit: Int) -> ProxyError {
        ProxyError(
            code: .overloaded,
            message: "The proxy is holding its limit of \(limit) bytes of request bodies (ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES); retry shortly.",
            retryAfterSeconds: 1)
    }

    package static func overloaded(limit: Int) -> ProxyError {
        ProxyError(code: .overloaded, message: "The proxy is at its limit of \(limit) concurrent requests (ARCHESTRA_MAX_CONCURRENT_REQUESTS); retry shortly.")
    }

    /// The gateway's store could not answer (the database is down or locked); nothing about the
    /// cause goes to the client.
    package static let gatewayUnavailable = ProxyError(
        code: .gatewayUnavailable,
        message: "The proxy could not check your credential right now; retry shortly.",
        retryAfterSeconds: 1
    )

    package static let internalFailure = ProxyError(code: .internalFailure, message: "The proxy failed to handle the request.")
}
