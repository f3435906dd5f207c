/// Everything the proxy needs to know about one upstream provider, as data.
///
/// Adding a provider that speaks an existing dialect is adding a declaration to
/// ``ProviderCatalog``; the pipeline has no per-provider branches. A provider that needs behaviour
/// the declaration cannot express gets a dialect of its own, beside its declaration.
package struct ProviderDeclaration: Sendable {
    /// The route segment: `/v1/<id>/...`.
    package let id: String
    /// The wire format its clients and its upstream speak.
    package let dialect: any ProviderDialect
    /// Where requests go when no base-URL variable is set; `nil` means the provider must be
    /// configured explicitly before its routes answer.
    package let defaultBaseURL: String?
    /// Variables that set the base URL, the first one set wins (`ARCHESTRA_*` first, then the
    /// provider SDK's own variable if the reference lists one).
    package let baseURLVariables: [String]
    /// The variable holding the key used when a client sends none.
    package let fallbackAPIKeyVariable: String
    /// How the upstream expects the credential.
    package let upstreamAuth: UpstreamAuthScheme
    /// Leading path segments an SDK may append to the base URL that the upstream base URL already
    /// contains (a client configured with `<proxy>/v1/openai/v1` sends `/v1/chat/completions`).
    package let redundantPathPrefixes: [String]
    /// Whether a request may go upstream without any credential (self-hosted servers).
    package let credentialOptional: Bool

    package init(
        id: String,
        dialect: any ProviderDialect,
        defaultBaseURL: String?,
        baseURLVariables: [String],
        fallbackAPIKeyVariable: String,
        upstreamAuth: UpstreamAuthScheme = .bearer,
        redundantPathPrefixes: [String] = [],
        credentialOptional: Bool = false
    ) {
        self.id = id
        self.dialect = dialect
        self.defaultBaseURL = defaultBaseURL
        self.baseURLVariables = baseURLVariables
        self.fallbackAPIKeyVariable = fallbackAPIKeyVariable
        self.upstreamAuth = upstreamAuth
        self.redundantPathPrefixes = redundantPathPrefixes
        self.credentialOptional = credentialOptional
    }
}

/// How a credential is presented to the upstream.
package struct UpstreamAuthScheme: Sendable, Hashable {
    private enum Backing: Hashable {
        case bearer
        case header(String)
    }

    private let backing: Backing

    /// `Authorization: Bearer <key>` (OpenAI and its compatibles).
    package static let bearer = UpstreamAuthScheme(backing: .bearer)
    /// The key alone in a named header (`api-key` for Azure, `x-api-key` for Anthropic).
    package static func header(_ name: String) -> UpstreamAuthScheme { UpstreamAuthScheme(backing: .header(name)) }

    /// The header name and value that carry `key` upstream.
    package func headerField(for key: String) -> (name: String, value: String) {
        switch self.backing {
        case .bearer: return ("authorization", "Bearer \(key)")
        case .header(let name): return (name, key)
        }
    }
}
