import Foundation
package import Hummingbird
package import NIOCore
import WireFormats

/// Cohere's errors: `{"id","message"}` with the status the SDK maps to its exception classes.
package struct CohereErrorStyle: EmulatorErrorStyle {
    package init() {}

    package func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError {
        EmulatorError(status: status, body: CohereErrorBody(message: message, id: UUID().uuidString.lowercased()).json)
    }

    package func rateLimited(retryAfter: Int, model: String) -> EmulatorError {
        var error = self.error(
            .tooManyRequests,
            "You are using a Trial key, which is limited to 20 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions"
        )
        error.headers[.retryAfter] = String(retryAfter)
        return error
    }

    package func overloaded() -> EmulatorError {
        self.error(.serviceUnavailable, "service unavailable")
    }

    /// What a v2 stream reports when generation fails after it started.
    package func streamErrorFrame() -> ByteBuffer {
        let data: JSONValue = ["type": "message-end", "delta": ["finish_reason": "ERROR", "error": "internal server error"]]
        return SSEEvent(event: "message-end", data: data.encodedString()).byteBuffer
    }
}
