package import Hummingbird
import NIOCore
package import WireFormats
import HTTPTypes

/// An answer in a provider's own error shape (Mistral's `{"detail":…}`, xAI's flat
/// `{"code","error"}`, Ollama's `{"error":"…"}`), which ``OpenAIEmulatorError`` cannot express.
package struct CompatibleEmulatorError: Error, Sendable {
    package let status: HTTPResponse.Status
    package let body: JSONValue
    package let headers: HTTPFields

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

    /// The common `{"error":{"message","type","param","code"}}` shape, for providers that copy OpenAI's.
    package static func openAIShaped(_ status: HTTPResponse.Status, message: String, type: String, code: JSONValue = nil) -> CompatibleEmulatorError {
        CompatibleEmulatorError(status: status, body: ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": code]])
    }
}

/// Renders ``CompatibleEmulatorError`` inside the OpenAI envelope middleware, which renders only
/// its own error type.
struct CompatibleErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as CompatibleEmulatorError {
            return error.response
        }
    }
}
