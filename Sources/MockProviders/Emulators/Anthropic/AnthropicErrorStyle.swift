import Foundation
package import HTTPTypes
import Hummingbird
package import NIOCore
import WireFormats

/// Anthropic's error answers: `{"type":"error","error":{"type","message"},"request_id"}` with the
/// type the real API uses for each status; 429 with its rate-limit headers; 529 when overloaded.
package struct AnthropicErrorStyle: EmulatorErrorStyle {
    package init() {}

    package func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError {
        let requestID = Self.newRequestID()
        let body = AnthropicErrorBody(type: AnthropicErrorBody.type(forStatus: status.code), message: message, requestID: requestID)
        return EmulatorError(status: status, body: body.json, headers: [.anthropicRequestID: requestID])
    }

    package func rateLimited(retryAfter: Int, model: String) -> EmulatorError {
        var error = self.error(
            .tooManyRequests,
            "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later."
        )
        let reset = Self.timestamp(secondsFromNow: retryAfter)
        error.headers[.retryAfter] = String(retryAfter)
        for (name, value) in [
            ("anthropic-ratelimit-requests-limit", "50"), ("anthropic-ratelimit-requests-remaining", "0"),
            ("anthropic-ratelimit-requests-reset", reset), ("anthropic-ratelimit-tokens-limit", "50000"),
            ("anthropic-ratelimit-tokens-remaining", "50000"), ("anthropic-ratelimit-tokens-reset", reset),
            ("anthropic-ratelimit-input-tokens-limit", "40000"), ("anthropic-ratelimit-input-tokens-remaining", "40000"),
            ("anthropic-ratelimit-input-tokens-reset", reset), ("anthropic-ratelimit-output-tokens-limit", "10000"),
            ("anthropic-ratelimit-output-tokens-remaining", "10000"), ("anthropic-ratelimit-output-tokens-reset", reset),
        ] {
            if let fieldName = HTTPField.Name(name) { error.headers[fieldName] = value }
        }
        return error
    }

    package func overloaded() -> EmulatorError {
        self.error(HTTPResponse.Status(code: 529, reasonPhrase: "Overloaded"), "Overloaded")
    }

    package func streamErrorFrame() -> ByteBuffer {
        AnthropicErrorBody(type: "overloaded_error", message: "Overloaded", requestID: nil).streamEvent.byteBuffer
    }

    static func newRequestID() -> String {
        "req_011" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(21)
    }

    /// RFC 3339, as the real rate-limit reset headers.
    static func timestamp(secondsFromNow seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date().addingTimeInterval(TimeInterval(seconds)))
    }
}

extension HTTPField.Name {
    /// The header the Anthropic SDK reads into `request_id`.
    package static let anthropicRequestID = Self(literal: "request-id")
}
