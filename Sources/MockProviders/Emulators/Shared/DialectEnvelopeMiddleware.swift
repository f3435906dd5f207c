package import Hummingbird
import Logging
import Foundation

/// Outermost middleware of a native-dialect emulator: renders every error (its own, a scenario
/// typo, an unknown route, Hummingbird's) in the dialect's shape and adds the headers the real
/// API sends on every answer.
package struct DialectEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    let style: any EmulatorErrorStyle
    let addHeaders: @Sendable (inout HTTPFields) -> Void

    package init(style: any EmulatorErrorStyle, addHeaders: @escaping @Sendable (inout HTTPFields) -> Void = { _ in }) {
        self.style = style
        self.addHeaders = addHeaders
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as EmulatorError {
            response = error.response
        } catch let error as MockScenarioParseError {
            response = self.style.error(.badRequest, "Invalid x-mock-scenario '\(error.spec)': \(error.reason).").response
        } catch let error as HTTPError where error.status == .notFound {
            response = self.style.error(.notFound, "Not Found: \(request.method) \(request.uri.path)").response
        } catch let error as any HTTPResponseError {
            response = self.style.error(error.status, error.status.reasonPhrase).response
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("emulator handler failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            response = self.style.error(.internalServerError, "Internal server error").response
        }
        self.addHeaders(&response.headers)
        return response
    }
}

/// Checks the key a request carries against the accepted keys, in constant time. `/healthz` is open.
package struct DialectAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let acceptedKeys: [String]
    /// The key the request carries, `nil` when it carries none.
    let key: @Sendable (Request) -> String?
    let missing: @Sendable () -> EmulatorError
    let invalid: @Sendable () -> EmulatorError

    package init(
        acceptedKeys: [String],
        key: @escaping @Sendable (Request) -> String?,
        missing: @escaping @Sendable () -> EmulatorError,
        invalid: @escaping @Sendable () -> EmulatorError
    ) {
        self.acceptedKeys = acceptedKeys
        self.key = key
        self.missing = missing
        self.invalid = invalid
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let key = self.key(request), !key.isEmpty else { throw self.missing() }
        var accepted = false
        for candidate in self.acceptedKeys where ConstantTimeComparison.equal(candidate, key) {
            accepted = true
        }
        guard accepted else { throw self.invalid() }
        return try await next(request, context)
    }

    /// The key of `Authorization: Bearer <key>`.
    package static func bearerKey(_ request: Request) -> String? {
        OpenAIAuthenticationMiddleware<Context>.bearerKey(in: request.headers)
    }

    /// A query parameter's value, percent-decoded.
    package static func queryValue(_ name: String, in request: Request) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]).removingPercentEncoding ?? String(parts[1]) }
        }
        return nil
    }
}
