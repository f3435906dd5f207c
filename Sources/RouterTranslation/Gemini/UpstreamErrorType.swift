/// The OpenAI error `type` for an upstream HTTP status, so a client's SDK raises the same
/// exception class it would for OpenAI (`AuthenticationError` for 401, `RateLimitError` for 429…).
/// Shared by the Gemini and Bedrock translators.
enum UpstreamErrorType {
    static func openAIType(forStatus status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        case 400..<500: "invalid_request_error"
        default: "server_error"
        }
    }
}
