import NIOHTTP1

/// Takes the gateway's own credentials (virtual keys, OAuth access tokens) out of what is
/// forwarded upstream, wherever a client put them: the credential the route reads is already
/// handled by the authorizer, but a client may send one in another header or query parameter
/// too, and an upstream must never receive one (it would be a key of ours in its logs).
enum GatewayCredentialScrubber {
    /// Drops every header whose value is, or bears, a gateway credential.
    static func scrub(_ headers: inout HTTPHeaders) {
        // The common case has none: decide with a cheap scan before rebuilding anything.
        guard headers.contains(where: { Self.bearsGatewayCredential($0.value) }) else { return }
        let names = Set(headers.filter { Self.bearsGatewayCredential($0.value) }.map { $0.name.lowercased() })
        for name in names { headers.remove(name: name) }
    }

    /// `query` without the parameters whose value is a gateway credential.
    static func scrubbing(query: String?) -> String? {
        // The common case has none: a substring search before any splitting.
        guard let query, query.contains("arch_") || query.contains("llm_at_") else { return query }
        return QueryParameters.removing(from: query) { _, value in AuthenticateStep.isGatewayCredential(value) }
    }

    private static func bearsGatewayCredential(_ value: String) -> Bool {
        var value = Substring(value).drop { $0 == " " }
        if value.count > 7, value.prefix(7).lowercased() == "bearer " { value = value.dropFirst(7).drop { $0 == " " } }
        return AuthenticateStep.isGatewayCredential(String(value))
    }
}
