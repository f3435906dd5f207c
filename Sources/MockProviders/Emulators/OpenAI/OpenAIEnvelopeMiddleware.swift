package import HTTPTypes
import Foundation
import Logging
package import Hummingbird
import WireFormats

/// Outermost middleware of the OpenAI emulator: gives every answer the headers the real API
/// sends, and renders every error (including unknown routes) as OpenAI's `{"error":{...}}`.
///
/// Hummingbird renders errors outside the middleware chain, which would lose these headers, so
/// errors are turned into responses here.
package struct OpenAIEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as OpenAIEmulatorError {
            response = error.response
        } catch let error as MockScenarioParseError {
            response = OpenAIEmulatorError.invalidScenario(error).response
        } catch let error as HTTPError where error.status == .notFound {
            response = OpenAIEmulatorError.unknownRoute(method: request.method, path: request.uri.path).response
        } catch let error as any HTTPResponseError {
            // Hummingbird's own errors, e.g. 413 from a body over the upload limit.
            response = OpenAIEmulatorError(
                status: error.status,
                body: OpenAIErrorBody(message: error.status.reasonPhrase, type: "invalid_request_error")
            ).response
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("OpenAI emulator handler failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            response = OpenAIEmulatorError.serverError.response
        }
        let elapsed = ContinuousClock.now - start
        Self.addRealAPIHeaders(to: &response.headers, processing: elapsed)
        return response
    }

    /// Informational headers of the real API; a header the handler already set (a 429's
    /// exhausted rate limit) is kept.
    static func addRealAPIHeaders(to headers: inout HTTPFields, processing: Duration) {
        let milliseconds = processing.components.seconds * 1000 + processing.components.attoseconds / 1_000_000_000_000_000
        let defaults: [(HTTPField.Name, String)] = [
            (.openAIRequestID, "req_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()),
            (.openAIProcessingMilliseconds, String(milliseconds)),
            (.openAIVersion, "2020-10-01"),
            (.rateLimitLimitRequests, "10000"),
            (.rateLimitLimitTokens, "30000000"),
            (.rateLimitRemainingRequests, "9999"),
            (.rateLimitRemainingTokens, "29999000"),
            (.rateLimitResetRequests, "6ms"),
            (.rateLimitResetTokens, "2ms"),
        ]
        for (name, value) in defaults where headers[name] == nil {
            headers[name] = value
        }
    }
}

extension HTTPField.Name {
    // Names are the real API's; HTTPFields compares names case-insensitively.
    package static let openAIRequestID = Self(literal: "x-request-id")
    package static let openAIProcessingMilliseconds = Self(literal: "openai-processing-ms")
    package static let openAIVersion = Self(literal: "openai-version")
    package static let rateLimitLimitRequests = Self(literal: "x-ratelimit-limit-requests")
    package static let rateLimitLimitTokens = Self(literal: "x-ratelimit-limit-tokens")
    package static let rateLimitRemainingRequests = Self(literal: "x-ratelimit-remaining-requests")
    package static let rateLimitRemainingTokens = Self(literal: "x-ratelimit-remaining-tokens")
    package static let rateLimitResetRequests = Self(literal: "x-ratelimit-reset-requests")
    package static let rateLimitResetTokens = Self(literal: "x-ratelimit-reset-tokens")
    package static let mockScenario = Self(literal: "x-mock-scenario")
}

extension HTTPField.Name {
    /// A header name written in the source; only ever called with valid token literals.
    init(literal name: String) {
        guard let parsed = Self(name) else { preconditionFailure("invalid header name literal \(name)") }
        self = parsed
    }
}
