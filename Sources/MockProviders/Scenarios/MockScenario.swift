import Foundation

/// A scripted failure requested by a client, from the `x-mock-scenario` header or a model-name
/// suffix (`gpt-4o-mini@rate-limit`).
///
/// Grammar (both forms): `<name>[; key=value]...`, e.g. `rate-limit; retry-after=2; fail-count=1`.
/// Names and parameters are documented in `docs/emulators.md`.
package struct MockScenario: Sendable, Hashable {
    package enum Name: String, Sendable, CaseIterable {
        case rateLimit = "rate-limit"
        case serverError = "server-error"
        case unavailable = "unavailable"
        case slowStream = "slow-stream"
        case dropMidStream = "drop-mid-stream"
        case malformedFrame = "malformed-frame"
        case hang = "hang"
    }

    package static let headerName = "x-mock-scenario"

    package let name: Name
    /// Parameters in the order given; keys lower-cased.
    package let parameters: [String: String]
    /// The normalised spec (`name; k=v` with sorted keys): requests carrying the same spec share
    /// one `fail-count` budget.
    package let spec: String

    package init(name: Name, parameters: [String: String] = [:]) {
        self.name = name
        self.parameters = parameters
        let sortedParameters = parameters.sorted { $0.key < $1.key }.map { "; \($0.key)=\($0.value)" }
        self.spec = name.rawValue + sortedParameters.joined()
    }

    /// Parses a spec; throws ``MockScenarioParseError`` for an unknown name or a malformed parameter,
    /// so a typo fails loudly instead of silently answering normally.
    package init(parsing text: String) throws(MockScenarioParseError) {
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let name = Name(rawValue: first.lowercased()) else {
            throw MockScenarioParseError(spec: text, reason: "unknown scenario name")
        }
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty else {
                throw MockScenarioParseError(spec: text, reason: "parameters are key=value")
            }
            parameters[pair[0].lowercased()] = pair[1]
        }
        self.init(name: name, parameters: parameters)
    }

    /// An integer parameter, or `defaultValue` when absent; throws when present but not a
    /// non-negative integer.
    package func integer(_ key: String, default defaultValue: Int) throws(MockScenarioParseError) -> Int {
        guard let text = self.parameters[key] else { return defaultValue }
        guard let value = Int(text), value >= 0 else {
            throw MockScenarioParseError(spec: self.spec, reason: "\(key) must be a non-negative integer")
        }
        return value
    }

    /// Splits `model@scenario` into the model to echo and the scenario, if any.
    package static func split(model: String) throws(MockScenarioParseError) -> (model: String, scenario: MockScenario?) {
        guard let at = model.firstIndex(of: "@") else { return (model, nil) }
        let scenario = try MockScenario(parsing: String(model[model.index(after: at)...]))
        return (String(model[..<at]), scenario)
    }
}
