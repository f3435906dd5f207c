import HTTPTypes

extension HTTPField.Name {
    /// A header name written in the source; only ever called with valid token literals, so the
    /// failure is a programming error caught by the first test that touches the name.
    init(literal name: String) {
        guard let parsed = Self(name) else { preconditionFailure("invalid header name literal \(name)") }
        self = parsed
    }
}
