package import Hummingbird
package import WireFormats

/// The compatible emulators' errors are ``EmulatorError``s: a provider's own error shape (Mistral's
/// `{"detail":…}`, xAI's flat `{"code","error"}`, Ollama's `{"error":"…"}`), which
/// ``OpenAIEmulatorError`` cannot express.
package typealias CompatibleEmulatorError = EmulatorError

extension EmulatorError {
    /// The common `{"error":{"message","type","param","code"}}` shape, for providers that copy OpenAI's.
    package static func openAIShaped(_ status: HTTPResponse.Status, message: String, type: String, code: JSONValue = nil) -> EmulatorError {
        EmulatorError(status: status, body: ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": code]])
    }
}

/// Renders ``EmulatorError`` inside the OpenAI envelope middleware, which renders only its own
/// error type.
struct CompatibleErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as EmulatorError {
            return error.response
        }
    }
}
