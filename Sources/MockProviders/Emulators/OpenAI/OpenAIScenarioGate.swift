import Hummingbird
import ServiceLifecycle
import WireFormats

/// Applies the request-level part of a scenario before any answer is written: the scripted
/// error statuses and `hang`. Stream-level parts are left to ``StreamScript``.
package struct OpenAIScenarioGate: Sendable {
    let budget: ScenarioFailureBudget

    package init(budget: ScenarioFailureBudget) { self.budget = budget }

    /// Throws the scripted ``OpenAIEmulatorError`` or hangs when the scenario (still within its
    /// `fail-count`) asks for it. Returns the scenario that still applies to the body, or `nil`
    /// when there is none or its `fail-count` is used up.
    package func admit(_ scenario: MockScenario?, model: String) async throws -> MockScenario? {
        guard let scenario, try self.budget.shouldFail(scenario) else { return nil }
        switch scenario.name {
        case .rateLimit:
            throw try Self.rateLimited(scenario, model: model)
        case .serverError:
            throw OpenAIEmulatorError.serverError
        case .unavailable:
            throw OpenAIEmulatorError(
                status: .serviceUnavailable,
                body: OpenAIErrorBody(message: "The server is overloaded or not ready yet.", type: "server_error")
            )
        case .hang:
            // Never answer while the client waits. The wait ends early only when the server shuts
            // down gracefully (the sleep is cancelled), so shutdown is never held up by a hang.
            // Hummingbird does not tell a handler that its client left, so `max-ms` bounds how
            // long an abandoned handler lives; then it answers 504.
            let limit = try scenario.integer("max-ms", default: 600_000)
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .milliseconds(limit))
            }
            throw OpenAIEmulatorError(
                status: .gatewayTimeout,
                body: OpenAIErrorBody(message: "The emulator stopped waiting after \(limit) ms (scenario hang).", type: "server_error")
            )
        case .slowStream, .dropMidStream, .malformedFrame:
            return scenario
        }
    }

    static func rateLimited(_ scenario: MockScenario, model: String) throws -> OpenAIEmulatorError {
        let retryAfter = try scenario.integer("retry-after", default: 1)
        let modelName = model.isEmpty ? "this model" : model
        return OpenAIEmulatorError(
            status: .tooManyRequests,
            body: OpenAIErrorBody(
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
}
