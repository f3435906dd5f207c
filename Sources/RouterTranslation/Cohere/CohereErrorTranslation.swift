package import Foundation
package import WireFormats

/// OpenAI's error `type` for an upstream HTTP status, so an SDK raises the same exception class
/// (`AuthenticationError`, `RateLimitError`…) it would for OpenAI itself.
package enum UpstreamErrorClassification {
    package static func openAIErrorType(forStatus status: Int) -> String {
        switch status {
        case 400, 422: "invalid_request_error"
        // Cohere answers 498 for an invalid token.
        case 401, 498: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        case 500...: "server_error"
        default: "invalid_request_error"
        }
    }
}

/// Cohere error bodies (`{"id":"…","message":"…"}`, v2 chat and v2 embed alike) in OpenAI's shape.
package enum CohereErrorTranslation {
    /// Never fails: a body that is not Cohere's error JSON (an HTML page from a load balancer)
    /// becomes the message itself, trimmed, so the client still reads what happened.
    package static func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        let type = UpstreamErrorClassification.openAIErrorType(forStatus: status)
        if let parsed = try? JSONDecoder().decode(CohereErrorBody.self, from: body), let message = parsed.message {
            return OpenAIErrorBody(message: message, type: type, param: nil, code: nil)
        }
        let text = String(decoding: body.prefix(1000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return OpenAIErrorBody(message: text.isEmpty ? "Cohere answered HTTP \(status)" : text, type: type, param: nil, code: nil)
    }
}
