extension ClientCredentialLocation {
    /// How a client sends its key here, for error messages: `'x-api-key: <key>'`.
    var clientForm: String {
        switch self.backing {
        case .header(let name, isBearer: true): return "'\(name == "authorization" ? "Authorization" : name): Bearer <key>'"
        case .header(let name, isBearer: false): return "'\(name): <key>'"
        case .query(let name): return "'?\(name)=<key>'"
        }
    }
}
