package import Hummingbird
package import NIOCore
import WireFormats

/// Google's `google.rpc.Status` errors, as the Gemini API words them; 429 with `RetryInfo`.
package struct GeminiErrorStyle: EmulatorErrorStyle {
    package init() {}

    package func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError {
        EmulatorError(status: status, body: GoogleRPCStatusBody(code: status.code, message: message).json)
    }

    /// The real API's key error: 400, not 401, with an `ErrorInfo` detail.
    package func invalidAPIKey() -> EmulatorError {
        let message = "API key not valid. Please pass a valid API key."
        let details: [JSONValue] = [
            [
                "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com",
                "metadata": ["service": "generativelanguage.googleapis.com"],
            ],
            ["@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": .string(message)],
        ]
        return EmulatorError(status: .badRequest, body: GoogleRPCStatusBody(code: 400, message: message, details: details).json)
    }

    package func missingAPIKey() -> EmulatorError {
        self.error(
            .forbidden,
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."
        )
    }

    package func rateLimited(retryAfter: Int, model: String) -> EmulatorError {
        let details: [JSONValue] = [
            [
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                    [
                        "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                        "quotaDimensions": ["location": "global", "model": .string(model)], "quotaValue": "10",
                    ]
                ],
            ],
            ["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": .string("\(retryAfter)s")],
        ]
        let message = "You exceeded your current quota, please check your plan and billing details. Please retry in \(retryAfter)s."
        return EmulatorError(status: .tooManyRequests, body: GoogleRPCStatusBody(code: 429, message: message, details: details).json)
    }

    package func overloaded() -> EmulatorError {
        self.error(.serviceUnavailable, "The model is overloaded. Please try again later.")
    }

    package func streamErrorFrame() -> ByteBuffer {
        ByteBuffer(string: GoogleRPCStatusBody(code: 500, message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting").streamEventBytes)
    }
}
