package import Hummingbird
package import NIOCore
package import WireFormats

/// OpenAI's error answers, which every OpenAI-compatible emulator gives (a profile's own
/// `unauthorized` aside): a status, OpenAI's `{"error":{"message","type","param","code"}}` and any
/// extra headers, worded as the real API words them.
package struct OpenAIErrorStyle: EmulatorErrorStyle {
    package init() {}

    /// `invalid_request_error` below 500, `server_error` from 500 on, as the real API types them.
    package func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError {
        let type = status.code >= 500 ? "server_error" : "invalid_request_error"
        return EmulatorError(status: status, openAI: OpenAIErrorBody(message: message, type: type))
    }

    package func rateLimited(retryAfter: Int, model: String) -> EmulatorError {
        let modelName = model.isEmpty ? "this model" : model
        return EmulatorError(
            status: .tooManyRequests,
            openAI: OpenAIErrorBody(
                message: "Rate limit reached for \(modelName) in organization org-archestra-mock on requests per min (RPM): Limit 10000, Used 10000, Requested 1. Please try again in \(retryAfter)s. Visit https://platform.openai.com/account/rate-limits to learn more.",
                type: "requests",
                code: "rate_limit_exceeded"
            ),
            headers: [
                .retryAfter: String(retryAfter),
                .rateLimitLimitRequests: "10000",
                .rateLimitRemainingRequests: "0",
                .rateLimitResetRequests: "\(retryAfter)s",
            ]
        )
    }

    package func overloaded() -> EmulatorError {
        EmulatorError(status: .serviceUnavailable, openAI: OpenAIErrorBody(message: "The server is overloaded or not ready yet.", type: "server_error"))
    }

    package func streamErrorFrame() -> ByteBuffer {
        OpenAIErrorBody(message: "The server is overloaded or not ready yet.", type: "server_error").streamEvent.byteBuffer
    }

    package func serverError() -> EmulatorError { Self.serverError }

    package func invalidScenario(_ error: MockScenarioParseError) -> EmulatorError { Self.invalidScenario(error) }

    package func unknownRoute(method: HTTPRequest.Method, path: String) -> EmulatorError { Self.unknownRoute(method: method, path: path) }

    /// Hummingbird's own errors (413 for a body over the upload limit) are typed as the client's fault.
    package func frameworkError(_ status: HTTPResponse.Status) -> EmulatorError {
        EmulatorError(status: status, openAI: OpenAIErrorBody(message: status.reasonPhrase, type: "invalid_request_error"))
    }

    package func unsupportedContentType(_ contentType: String) -> EmulatorError? { Self.unsupportedContentType(contentType) }

    package func unparsableBody() -> EmulatorError { Self.unparsableJSON }

    package func missingModel() -> EmulatorError? { Self.missingModel }
}

extension EmulatorError {
    package init(status: HTTPResponse.Status, openAI body: OpenAIErrorBody, headers: HTTPFields = [:]) {
        self.init(status: status, body: body.json, headers: headers)
    }
}

extension OpenAIErrorStyle {
    package static let apiKeysURL = "https://platform.openai.com/account/api-keys"

    package static let missingAPIKey = EmulatorError(
        status: .unauthorized,
        openAI: OpenAIErrorBody(
            message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from \(apiKeysURL).",
            type: "invalid_request_error"
        ),
        headers: [.wwwAuthenticate: "Bearer realm=\"OpenAI API\""]
    )

    /// `maskedKey` must already be masked; the full key is never put in a body.
    package static func incorrectAPIKey(maskedKey: String) -> EmulatorError {
        EmulatorError(
            status: .unauthorized,
            openAI: OpenAIErrorBody(
                message: "Incorrect API key provided: \(maskedKey). You can find your API key at \(apiKeysURL).",
                type: "invalid_request_error",
                code: "invalid_api_key"
            ),
            headers: [.wwwAuthenticate: "Bearer realm=\"OpenAI API\""]
        )
    }

    package static let unparsableJSON = EmulatorError(
        status: .badRequest,
        openAI: OpenAIErrorBody(
            message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
            type: "invalid_request_error"
        )
    )

    package static func unsupportedContentType(_ contentType: String) -> EmulatorError {
        EmulatorError(
            status: .unsupportedMediaType,
            openAI: OpenAIErrorBody(
                message: "Unsupported content type: '\(contentType)'. This API method only accepts 'application/json' requests, but you specified the header 'Content-Type: \(contentType)'. Please try again with a supported content type.",
                type: "invalid_request_error"
            )
        )
    }

    package static let missingModel = EmulatorError(
        status: .badRequest,
        openAI: OpenAIErrorBody(message: "you must provide a model parameter", type: "invalid_request_error", param: "model")
    )

    package static func missingParameter(_ name: String) -> EmulatorError {
        EmulatorError(
            status: .badRequest,
            openAI: OpenAIErrorBody(
                message: "Missing required parameter: '\(name)'.",
                type: "invalid_request_error",
                param: name,
                code: "missing_required_parameter"
            )
        )
    }

    package static func invalidParameter(_ name: String, message: String, code: String? = nil) -> EmulatorError {
        EmulatorError(
            status: .badRequest,
            openAI: OpenAIErrorBody(message: message, type: "invalid_request_error", param: name, code: code)
        )
    }

    package static func modelNotFound(_ model: String) -> EmulatorError {
        EmulatorError(
            status: .notFound,
            openAI: OpenAIErrorBody(
                message: "The model '\(model)' does not exist or you do not have access to it.",
                type: "invalid_request_error",
                code: "model_not_found"
            )
        )
    }

    package static func unknownRoute(method: HTTPRequest.Method, path: String) -> EmulatorError {
        EmulatorError(
            status: .notFound,
            openAI: OpenAIErrorBody(message: "Invalid URL (\(method.rawValue) \(path))", type: "invalid_request_error")
        )
    }

    package static func invalidScenario(_ error: MockScenarioParseError) -> EmulatorError {
        EmulatorError(
            status: .badRequest,
            openAI: OpenAIErrorBody(
                message: "Invalid mock scenario '\(error.spec)': \(error.reason).",
                type: "invalid_request_error",
                param: MockScenario.headerName
            )
        )
    }

    package static let serverError = EmulatorError(
        status: .internalServerError,
        openAI: OpenAIErrorBody(message: "The server had an error while processing your request. Sorry about that!", type: "server_error")
    )
}
