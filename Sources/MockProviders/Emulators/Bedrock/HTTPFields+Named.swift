import HTTPTypes

extension HTTPFields {
    /// A field by its name as a string. Names that are not valid field names read as `nil` and
    /// are not written; the emulators only pass literals.
    subscript(named name: String) -> String? {
        get { HTTPField.Name(name).flatMap { self[$0] } }
        set { if let field = HTTPField.Name(name) { self[field] = newValue } }
    }
}
