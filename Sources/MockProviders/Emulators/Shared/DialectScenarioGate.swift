import HTTPTypes
import ServiceLifecycle

/// Applies the request-level part of a ``MockScenario`` before any answer is written (the scripted
/// error statuses and `hang`), worded by the dialect's ``EmulatorErrorStyle``. Stream-level parts
/// are left to ``StreamScript``.
package struct DialectScenarioGate: Sendable {
    let budget: ScenarioFailureBudget
    /// How the dialect words its errors; handlers read bodies with it too.
    let style: any EmulatorErrorStyle

    package init(style: any EmulatorErrorStyle, budget: ScenarioFailureBudget = ScenarioFailureBudget()) {
        self.style = style
        self.budget = budget
    }

    /// Throws the scripted error or hangs; returns the scenario still applying to the body.
    package func admit(_ scenario: MockScenario?, model: String) async throws -> MockScenario? {
        guard let scenario, try self.budget.shouldFail(scenario) else { return nil }
        switch scenario.name {
        case .rateLimit:
            throw self.style.rateLimited(retryAfter: try scenario.integer("retry-after", default: 1), model: model)
        case .serverError:
            throw self.style.serverError()
        case .unavailable:
            throw self.style.overloaded()
        case .hang:
            // Never answer while the client waits. The wait ends early only when the server shuts
            // down gracefully (the sleep is cancelled), so shutdown is never held up by a hang.
            // Hummingbird does not tell a handler that its client left, so `max-ms` bounds how
            // long an abandoned handler lives; then it answers 504.
            let limit = try scenario.integer("max-ms", default: 600_000)
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .milliseconds(limit))
            }
            throw self.style.error(.gatewayTimeout, "The emulator stopped waiting after \(limit) ms (scenario hang).")
        case .slowStream, .dropMidStream, .malformedFrame:
            return scenario
        }
    }
}
