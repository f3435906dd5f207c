package import Hummingbird
import Logging

/// Outermost middleware of every emulator: renders every error (its own, a scenario typo, an
/// unknown route, Hummingbird's) in the dialect's shape and adds the headers the real API sends
/// on every answer.
///
/// Hummingbird renders errors outside the middleware chain, which would lose these headers, so
/// errors are turned into responses here.
package struct DialectEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    let style: any EmulatorErrorStyle
    /// Adds the real API's headers to an answer; one the handler already set is kept.
    /// `processing` is how long the answer took to produce (OpenAI reports it).
    let addHeaders: @Sendable (_ headers: inout HTTPFields, _ processing: Duration) -> Void

    package init(
        style: any EmulatorErrorStyle,
        addHeaders: @escaping @Sendable (_ headers: inout HTTPFields, _ processing: Duration) -> Void = { _, _ in }
    ) {
        self.style = style
        self.addHeaders = addHeaders
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as EmulatorError {
            response = error.response
        } catch let error as MockScenarioParseError {
            response = self.style.invalidScenario(error).response
        } catch let error as HTTPError where error.status == .notFound {
            response = self.style.unknownRoute(method: request.method, path: request.uri.path).response
        } catch let error as any HTTPResponseError {
            response = self.style.frameworkError(error.status).response
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("emulator handler failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            response = self.style.serverError().response
        }
        self.addHeaders(&response.headers, ContinuousClock.now - start)
        return response
    }
}
