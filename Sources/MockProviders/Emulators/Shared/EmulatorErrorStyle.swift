package import Hummingbird
package import NIOCore

/// How one dialect words the errors every emulator needs, so the shared machinery (the scenario
/// gate, the envelope, body reading) stays dialect-free.
///
/// The first four are the dialect's own; the rest have defaults worded from ``error(_:_:)`` that
/// a dialect overrides only where its real API says something else (OpenAI's, see
/// ``OpenAIErrorStyle``).
package protocol EmulatorErrorStyle: Sendable {
    /// A plain error with the dialect's body for `status`.
    func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError
    /// `rate-limit`: 429 with the real API's headers.
    func rateLimited(retryAfter: Int, model: String) -> EmulatorError
    /// `unavailable`: the dialect's "overloaded" answer (Anthropic's 529, elsewhere 503).
    func overloaded() -> EmulatorError
    /// The in-band error event of a stream that has started (`drop-mid-stream; in-band=true`).
    func streamErrorFrame() -> ByteBuffer

    /// `server-error`, and the answer when a handler fails unexpectedly.
    func serverError() -> EmulatorError
    /// An `x-mock-scenario` (or `model@scenario`) that does not parse.
    func invalidScenario(_ error: MockScenarioParseError) -> EmulatorError
    /// A path the emulator does not serve.
    func unknownRoute(method: HTTPRequest.Method, path: String) -> EmulatorError
    /// An error Hummingbird raised itself, such as 413 for a body over the upload limit.
    func frameworkError(_ status: HTTPResponse.Status) -> EmulatorError
    /// A POST whose content type is not JSON; `nil` when the dialect does not check it.
    func unsupportedContentType(_ contentType: String) -> EmulatorError?
    /// A POST body that is not a JSON object.
    func unparsableBody() -> EmulatorError
    /// A POST body without a `model`; `nil` when the model is optional (the handler decides).
    func missingModel() -> EmulatorError?
}

extension EmulatorErrorStyle {
    package func serverError() -> EmulatorError {
        self.error(.internalServerError, "Internal server error")
    }

    package func invalidScenario(_ error: MockScenarioParseError) -> EmulatorError {
        self.error(.badRequest, "Invalid x-mock-scenario '\(error.spec)': \(error.reason).")
    }

    package func unknownRoute(method: HTTPRequest.Method, path: String) -> EmulatorError {
        self.error(.notFound, "Not Found: \(method) \(path)")
    }

    package func frameworkError(_ status: HTTPResponse.Status) -> EmulatorError {
        self.error(status, status.reasonPhrase)
    }

    package func unsupportedContentType(_ contentType: String) -> EmulatorError? { nil }

    package func unparsableBody() -> EmulatorError {
        self.error(.badRequest, "The request body is not valid JSON.")
    }

    package func missingModel() -> EmulatorError? { nil }
}
