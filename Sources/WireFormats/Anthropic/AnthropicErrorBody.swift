package import Foundation

/// Anthropic's error body, `{"type":"error","error":{"type","message"}}`, used by the proxy for
/// errors it makes itself on Anthropic routes and by the Anthropic emulator.
///
/// The SDKs map the HTTP status to an exception class and expose this body on it; mid-stream the
/// same JSON is the data of an `event: error`.
package struct AnthropicErrorBody: Sendable, Hashable {
    package var type: String
    package var message: String
    /// The real API adds the request id; the SDK reads it from the `request-id` header instead.
    package var requestID: String?

    package init(type: String, message: String, requestID: String? = nil) {
        self.type = type
        self.message = message
        self.requestID = requestID
    }

    package var json: JSONValue {
        var object: [String: JSONValue] = [
            "type": "error",
            "error": ["type": .string(self.type), "message": .string(self.message)],
        ]
        if let requestID { object["request_id"] = .string(requestID) }
        return .object(object)
    }

    package var data: Data { self.json.encodedData() }

    /// The in-band form: `event: error` with this body, which the SDKs raise as `APIStatusError`.
    package var streamEvent: SSEEvent {
        SSEEvent(event: "error", data: self.json.encodedString())
    }

    /// The error type the real API uses for an HTTP status (https://docs.anthropic.com/en/api/errors).
    package static func type(forStatus status: Int) -> String {
        switch status {
        case 400, 414, 415, 431: return "invalid_request_error"
        case 401: return "authentication_error"
        case 402: return "billing_error"
        case 403: return "permission_error"
        case 404: return "not_found_error"
        case 413: return "request_too_large"
        case 429: return "rate_limit_error"
        case 504: return "timeout_error"
        case 529: return "overloaded_error"
        default: return "api_error"
        }
    }
}
