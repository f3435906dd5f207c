package import Hummingbird
import NIOCore
package import WireFormats

/// An error answer of a native-dialect emulator: status, the dialect's JSON body, extra headers.
///
/// Thrown from handlers and rendered by ``DialectEnvelopeMiddleware``, so every error of an
/// emulator, its own and Hummingbird's, has the real API's shape.
package struct EmulatorError: Error, Sendable {
    package var status: HTTPResponse.Status
    package var body: JSONValue
    package var headers: HTTPFields

    package init(status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    package var response: Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: self.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.body.encodedData())))
    }
}

/// How one dialect words the errors every emulator needs, so the shared machinery (the scenario
/// gate, the envelope, body reading) stays dialect-free.
package protocol EmulatorErrorStyle: Sendable {
    /// A plain error with the dialect's body for `status`.
    func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError
    /// `rate-limit`: 429 with the real API's headers.
    func rateLimited(retryAfter: Int, model: String) -> EmulatorError
    /// `unavailable`: the dialect's "overloaded" answer (Anthropic's 529, elsewhere 503).
    func overloaded() -> EmulatorError
    /// The in-band error event of a stream that has started (`drop-mid-stream; in-band=true`).
    func streamErrorFrame() -> ByteBuffer
}
