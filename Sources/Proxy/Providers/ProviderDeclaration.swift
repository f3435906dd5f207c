/// Everything the proxy needs to know about one upstream provider, as data.
///
/// Adding a provider that speaks an existing dialect is adding a declaration to
/// ``ProviderCatalog``; the pipeline has no per-provider branches. Behaviour a declaration cannot
/// express goes into a value it holds — a dialect, a URL resolver, an authorizer factory — kept
/// beside the declaration.
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
    /// Where clients put their key, in the order looked at.
    package let clientCredentials: [ClientCredentialLocation]
    /// How a fallback key (or a client key that must change form) is presented upstream.
    package let upstreamAuth: UpstreamAuthScheme
    /// Whether the client's credential goes upstream in the form it came in. `false` re-sends the
    /// key in ``upstreamAuth``'s form (Azure's `api-key` from a client's bearer token).
    package let forwardsClientCredentialAsSent: Bool
    /// Whether a request may go upstream without any credential (self-hosted servers).
    package let credentialOptional: Bool
    /// The provider's URL layout.
    package let upstreamURL: any UpstreamURLResolver
    /// Headers the proxy adds to every upstream request, each from a variable when it is set
    /// (OpenRouter's attribution headers).
    package let configuredHeaders: [ConfiguredHeader]
    /// Builds the authorizer from the environment, for providers that authenticate other than with
    /// a static key (SigV4, OAuth tokens). `nil` means ``StaticKeyAuthorizer``.
    package let makeAuthorizer: (@Sendable (ProviderEnvironment) throws(ConfigurationError) -> (any UpstreamAuthorizer)?)?
    /// Builds the routes the proxy answers itself for this provider (Bedrock's `GET /models`
    /// from ListInferenceProfiles), matched before anything goes upstream. `nil` means none.
    package let makeLocalEndpoints: (@Sendable (ProviderEnvironment) throws(ConfigurationError) -> [any LocalEndpoint])?
    /// How the model router (`/v1/model-router`) reaches this provider.
    package let modelRouter: ModelRouterTarget

    package init(
        id: String,
        dialect: any ProviderDialect,
        defaultBaseURL: String?,
        baseURLVariables: [String],
        fallbackAPIKeyVariable: String,
        clientCredentials: [ClientCredentialLocation] = [.authorizationBearer],
        upstreamAuth: UpstreamAuthScheme = .bearer,
        forwardsClientCredentialAsSent: Bool = true,
        credentialOptional: Bool = false,
        upstreamURL: any UpstreamURLResolver = AppendOperationPath(),
        configuredHeaders: [ConfiguredHeader] = [],
        makeAuthorizer: (@Sendable (ProviderEnvironment) throws(ConfigurationError) -> (any UpstreamAuthorizer)?)? = nil,
        makeLocalEndpoints: (@Sendable (ProviderEnvironment) throws(ConfigurationError) -> [any LocalEndpoint])? = nil,
        modelRouter: ModelRouterTarget = .openAIWire
    ) {
        self.id = id
        self.dialect = dialect
        self.defaultBaseURL = defaultBaseURL
        self.baseURLVariables = baseURLVariables
        self.fallbackAPIKeyVariable = fallbackAPIKeyVariable
        self.clientCredentials = clientCredentials
        self.upstreamAuth = upstreamAuth
        self.forwardsClientCredentialAsSent = forwardsClientCredentialAsSent
        self.credentialOptional = credentialOptional
        self.upstreamURL = upstreamURL
        self.configuredHeaders = configuredHeaders
        self.makeAuthorizer = makeAuthorizer
        self.makeLocalEndpoints = makeLocalEndpoints
        self.modelRouter = modelRouter
    }

    /// Header names that carry the client's credential; the authorizer, not generic forwarding,
    /// decides what goes upstream in them.
    package var credentialHeaderNames: Set<String> {
        Set(self.clientCredentials.compactMap(\.headerName) + [self.upstreamAuth.headerField(for: "").name])
    }
}

/// A header the proxy sets upstream from a configuration variable.
package struct ConfiguredHeader: Sendable, Hashable {
    package let name: String
    package let variable: String

    package init(name: String, variable: String) {
        self.name = name
        self.variable = variable
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
