import Foundation
import WireFormats

/// Anthropic error types → OpenAI error types and HTTP statuses. The Anthropic type is kept as
/// the OpenAI `code`, so a client can still tell `overloaded_error` from `api_error`.
enum AnthropicErrorTranslation {
    static func openAIType(forAnthropicType type: String) -> String {
        switch type {
        case "invalid_request_error", "request_too_large": "invalid_request_error"
        case "authentication_error": "authentication_error"
        case "permission_error": "permission_error"
        case "not_found_error": "not_found_error"
        case "rate_limit_error": "rate_limit_error"
        case "billing_error": "insufficient_quota"
        case "timeout_error": "timeout"
        default: "server_error"  // api_error, overloaded_error and types yet to come
        }
    }

    /// The status Anthropic documents for each type (used for in-band stream errors, where the
    /// HTTP status is already 200).
    static func status(forAnthropicType type: String) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "billing_error": 402
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "timeout_error": 504
        case "overloaded_error": 529
        default: 500
        }
    }

    /// The OpenAI type for a status, when the body is not Anthropic's error shape.
    static func openAIType(forStatus status: Int) -> String {
        switch status {
        case 400, 413, 422: "invalid_request_error"
        case 401: "authentication_error"
        case 402: "insufficient_quota"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        default: "server_error"
        }
    }

    static func openAIError(_ detail: AnthropicErrorBody.Detail) -> OpenAIErrorBody {
        OpenAIErrorBody(message: detail.message, type: openAIType(forAnthropicType: detail.type), param: nil, code: detail.type)
    }

    static func openAIError(fromBody body: Data, status: Int) -> OpenAIErrorBody {
        if let parsed = try? JSONDecoder().decode(AnthropicErrorBody.self, from: body) {
            return openAIError(parsed.error)
        }
        // Not Anthropic's shape (a load balancer's HTML page, an empty body): the text itself,
        // shortened, so the client still learns something.
        let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return OpenAIErrorBody(
            message: text.isEmpty ? "Anthropic answered with status \(status)" : text,
            type: openAIType(forStatus: status), param: nil, code: nil
        )
    }
}
