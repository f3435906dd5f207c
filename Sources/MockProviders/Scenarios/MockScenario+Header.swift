package import HTTPTypes

extension MockScenario {
    /// The scenario named by the `x-mock-scenario` header, if present.
    package static func fromHeader(_ headers: HTTPFields) throws(MockScenarioParseError) -> MockScenario? {
        guard let text = headers[.mockScenario], !text.isEmpty else { return nil }
        return try MockScenario(parsing: text)
    }
}

extension HTTPField.Name {
    /// The header a client names a scenario in, beside the `model@scenario` suffix.
    package static let mockScenario = Self(literal: MockScenario.headerName)
}
