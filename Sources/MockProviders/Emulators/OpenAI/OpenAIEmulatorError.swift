package import Hummingbird
import NIOCore
package import WireFormats

/// An error the OpenAI emulator answers with: a status, OpenAI's error body and any extra headers
/// (`retry-after` on a 429), rendered exactly as the real API renders errors.
package struct OpenAIEmulatorError: HTTPResponseError, Sendable {
    package let status: HTTPResponse.Status
    package let body: OpenAIErrorBody
    package let headers: HTTPFields

    package init(status: HTTPResponse.Status, body: OpenAIErrorBody, headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        self.response
    }

    package var response: Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: self.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.body.data)))
    }
}

extension OpenAIEmulatorError {
    package static let apiKeysURL = "https://platform.openai.com/account/api-keys"

    package static let missingAPIKey = OpenAIEmulatorError(
        status: .unauthorized,
        body: OpenAIErrorBody(
            message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from \(apiKeysURL).",
            type: "invalid_request_error"
        ),
        headers: [.wwwAuthenticate: "Bearer realm=\"OpenAI API\""]
    )

    /// `maskedKey` must already be masked; the full key is never put in a body.
    package static func incorrectAPIKey(maskedKey: String) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .unauthorized,
            body: OpenAIErrorBody(
                message: "Incorrect API key provided: \(maskedKey). You can find your API key at \(apiKeysURL).",
                type: "invalid_request_error",
                code: "invalid_api_key"
            ),
            headers: [.wwwAuthenticate: "Bearer realm=\"OpenAI API\""]
        )
    }

    package static let unparsableJSON = OpenAIEmulatorError(
        status: .badRequest,
        body: OpenAIErrorBody(
            message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
            type: "invalid_request_error"
        )
    )

    package static func unsupportedContentType(_ contentType: String) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .unsupportedMediaType,
            body: OpenAIErrorBody(
                message: "Unsupported content type: '\(contentType)'. This API method only accepts 'application/json' requests, but you specified the header 'Content-Type: \(contentType)'. Please try again with a supported content type.",
                type: "invalid_request_error"
            )
        )
    }

    package static let missingModel = OpenAIEmulatorError(
        status: .badRequest,
        body: OpenAIErrorBody(message: "you must provide a model parameter", type: "invalid_request_error", param: "model")
    )

    package static func missingParameter(_ name: String) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .badRequest,
            body: OpenAIErrorBody(
                message: "Missing required parameter: '\(name)'.",
                type: "invalid_request_error",
                param: name,
                code: "missing_required_parameter"
            )
        )
    }

    package static func invalidParameter(_ name: String, message: String, code: String? = nil) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .badRequest,
            body: OpenAIErrorBody(message: message, type: "invalid_request_error", param: name, code: code)
        )
    }

    package static func modelNotFound(_ model: String) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .notFound,
            body: OpenAIErrorBody(
                message: "The model '\(model)' does not exist or you do not have access to it.",
                type: "invalid_request_error",
                code: "model_not_found"
            )
        )
    }

    package static func unknownRoute(method: HTTPRequest.Method, path: String) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .notFound,
            body: OpenAIErrorBody(message: "Invalid URL (\(method.rawValue) \(path))", type: "invalid_request_error")
        )
    }

    package static func invalidScenario(_ error: MockScenarioParseError) -> OpenAIEmulatorError {
        OpenAIEmulatorError(
            status: .badRequest,
            body: OpenAIErrorBody(
                message: "Invalid mock scenario '\(error.spec)': \(error.reason).",
                type: "invalid_request_error",
                param: MockScenario.headerName
            )
        )
    }

    package static let serverError = OpenAIEmulatorError(
        status: .internalServerError,
        body: OpenAIErrorBody(message: "The server had an error while processing your request. Sorry about that!", type: "server_error")
    )
}
