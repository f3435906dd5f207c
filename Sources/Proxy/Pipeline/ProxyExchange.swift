package import Foundation
package import Gateway

/// One request on its way through the pipeline: what the client sent, and the facts each step
/// has established so far. Steps read what earlier steps set and add their own; the order is
/// ``ProxyPipeline``'s.
package struct ProxyExchange: Sendable {
    package var request: IncomingRequest
    package let route: ProxyRoute
    package let provider: ResolvedProvider
    /// Decides the shape of the errors and in-band stream errors the client sees.
    package let clientDialect: any ProviderDialect
    /// Decides how the upstream's answer is framed and where its usage is. The same as
    /// ``clientDialect`` on a provider route; different behind the model router.
    package let upstreamDialect: any ProviderDialect
    /// The operation asked for, relative to the provider's API root (``UpstreamURLResolver``).
    package let operationPath: String

    /// Who the client is (``AuthenticateStep``).
    package var caller: Caller = .anonymous
    /// The profile or LLM proxy serving the request (``ResolveProfileStep``).
    package var profile: Profile?
    /// What goes upstream as the credential, and the per-key settings that come with it
    /// (``UpstreamKeySelectionStep``).
    package var upstreamKey = UpstreamKeySelection(credential: .none)
    /// What the body says (``ReadRequestBodyStep``).
    package var summary = RequestSummary()
    /// The bytes of the body held in memory, given back to the ``RequestBodyBudget`` when the
    /// pipeline is done with the request.
    package var bodyReservation = BodyReservation()
    /// The facts logged when the response ends.
    package var record: RequestLogRecord
    /// The tool policies the answer is held to (``ToolPolicyStep``); `nil` when no tool call of
    /// the answer could be blocked.
    package var toolPolicy: ToolPolicyEnforcement?
    /// The proxy asked upstream for the stream's usage the client did not ask for
    /// (``StreamUsageOption``): the relay drops the chunk that adds.
    var addedStreamUsage = false

    package init(request: IncomingRequest, route: ProxyRoute, provider: ResolvedProvider, record: RequestLogRecord) {
        self.request = request
        self.route = route
        self.provider = provider
        self.clientDialect = provider.declaration.dialect
        self.upstreamDialect = provider.declaration.dialect
        self.operationPath = provider.upstreamURL.operationPath(for: route)
        self.record = record
    }

    /// A model-router request once its target is known: the client speaks OpenAI whatever the
    /// upstream speaks, and the operation is the one the router chose (a translated path).
    package init(routed request: IncomingRequest, route: ProxyRoute, provider: ResolvedProvider, operationPath: String, record: RequestLogRecord) {
        self.request = request
        self.route = route
        self.provider = provider
        self.clientDialect = OpenAIDialect()
        self.upstreamDialect = provider.declaration.dialect
        self.operationPath = operationPath
        self.record = record
    }
}

/// Who sent a request, as far as the gateway knows.
package enum Caller: Sendable {
    /// No credential at all.
    case anonymous
    /// A raw provider key, passed through to the upstream as it came.
    case providerKey
    case virtualKey(VirtualKey)
    case oauthClient(OAuthClient)

    /// Whether the caller holds one of the gateway's own credentials.
    package var isGatewayCredential: Bool {
        switch self {
        case .virtualKey, .oauthClient: return true
        case .anonymous, .providerKey: return false
        }
    }
}

/// The credential chosen for the upstream and the per-key settings of the provider key it came
/// from (GATEWAY.md "Per-key settings").
package struct UpstreamKeySelection: Sendable {
    package var credential: UpstreamCredential
    /// Replaces the provider's base URL.
    package var baseURL: String?
    /// Sent upstream, replacing client headers of the same name.
    package var extraHeaders: [String: String] = [:]
    /// The store's id of the provider key, for the log.
    package var providerKeyID: UUID?

    package init(credential: UpstreamCredential, baseURL: String? = nil, extraHeaders: [String: String] = [:], providerKeyID: UUID? = nil) {
        self.credential = credential
        self.baseURL = baseURL
        self.extraHeaders = extraHeaders
        self.providerKeyID = providerKeyID
    }
}
