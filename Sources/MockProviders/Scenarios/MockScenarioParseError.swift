/// A scenario spec that does not parse. Rendered as a 400 so the mistake is visible.
package struct MockScenarioParseError: Error, Sendable, Hashable {
    package let spec: String
    package let reason: String
}
