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
