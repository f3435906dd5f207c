package import AsyncHTTPClient
import Foundation
package import Gateway
import HTTPTypes
package import Logging

/// The one pipeline every provider route runs through, as named steps over one
/// ``ProxyExchange``, in DESIGN.md's order:
///
/// 1. route (``ProxyRoute``, the provider's declaration)
/// 2. authenticate (``AuthenticateStep``): virtual key, OAuth token, raw key or none
/// 3. resolve the profile (``ResolveProfileStep``)
/// 4. spending limits (``SpendLimitStep``, once the body has named the model: after step 6) and
///    request policies
/// 5. choose the upstream credential (``UpstreamKeySelectionStep``); routes the proxy answers
///    itself (``LocalEndpoint``) end here
/// 6. read the body when a step needs it (``ReadRequestBodyStep``), apply the model
///    optimisation rules (``ModelOptimisationStep``), then the tool policies on its tool results
///    (``ToolPolicyStep``)
/// 7. build the upstream request (``BuildUpstreamRequestStep``) and authorize it
///    (``AuthorizeUpstreamStep``)
/// 8. call (``UpstreamCallStep``)
/// 9. relay the answer (``RelayResponseStep``, with usage accounting) and log (``LogRequestStep``)
///
/// Errors the proxy makes itself are rendered in the client's dialect; upstream errors are
/// relayed as the upstream sent them. Nothing here knows the HTTP server's types.
package struct ProxyPipeline: Sendable {
    let configuration: ProxyConfiguration
    let httpClient: HTTPClient
    let authenticate: AuthenticateStep
    let resolveProfile: ResolveProfileStep
    let selectUpstreamKey: UpstreamKeySelectionStep
    let readBody: ReadRequestBodyStep
    let optimiseModel: ModelOptimisationStep
    let toolPolicies: ToolPolicyStep
    let buildUpstreamRequest: BuildUpstreamRequestStep
    let authorizeUpstream: AuthorizeUpstreamStep
    let callUpstream: UpstreamCallStep
    let relay: RelayResponseStep
    let log: LogRequestStep
    /// `nil` without a ``CostLedger``: no limits are checked.
    let spendLimits: SpendLimitStep?
    /// The model router's `GET /models`, from the synced lists.
    let modelList: ModelRouterModelList
    /// Request bodies held in memory across all requests.
    let bodyBudget: RequestBodyBudget

    /// Routes with no provider answer in OpenAI's shape, the lingua franca of LLM clients.
    static let fallbackDialect: any ProviderDialect = OpenAIDialect()

    /// - Parameter recordSinks: receive every request's record when its response has ended
    ///   (``RequestRecordSink``).
    /// - Parameter costs: prices every record and enforces spending limits; `nil` for neither.
    package init(
        configuration: ProxyConfiguration,
        httpClient: HTTPClient,
        directory: any CredentialDirectory,
        limiter: FailedAuthenticationLimiter,
        recordSinks: [any RequestRecordSink] = [],
        costs: CostLedger? = nil
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.authenticate = AuthenticateStep(directory: directory, limiter: limiter, requireClientAuthentication: configuration.requireClientAuthentication)
        self.resolveProfile = ResolveProfileStep(directory: directory)
        self.selectUpstreamKey = UpstreamKeySelectionStep(directory: directory, keylessAllowsAnonymous: configuration.keylessAllowsAnonymous)
        self.bodyBudget = RequestBodyBudget(limit: configuration.maximumBufferedRequestBytes)
        self.readBody = ReadRequestBodyStep(bodyLimitBytes: configuration.bodyLimitBytes, budget: self.bodyBudget)
        self.optimiseModel = ModelOptimisationStep(directory: directory)
        self.toolPolicies = ToolPolicyStep(directory: directory)
        self.buildUpstreamRequest = BuildUpstreamRequestStep()
        self.authorizeUpstream = AuthorizeUpstreamStep()
        self.callUpstream = UpstreamCallStep(httpClient: httpClient, maximumRequestDuration: configuration.maximumRequestDuration)
        self.spendLimits = costs.map(SpendLimitStep.init(ledger:))
        if let costs {
            // Spend is counted first, so the next request's check sees it whatever other sinks do.
            self.log = LogRequestStep(sinks: [SpendRecordingSink(ledger: costs)] + recordSinks, pricing: RequestPricing { costs.currentPriceTable })
        } else {
            self.log = LogRequestStep(sinks: recordSinks)
        }
        self.modelList = ModelRouterModelList(directory: directory)
        self.relay = RelayResponseStep(maximumEventBytes: configuration.maximumStreamEventBytes, keepAliveInterval: configuration.streamKeepAliveInterval, log: self.log)
    }

    package func handle(_ request: IncomingRequest, logger: Logger) async -> ProxyResponse {
        if let route = ModelRouterRoute(rawPath: request.path) {
            return await self.handleModelRouter(request, route: route, logger: logger)
        }
        var record = RequestLogRecord(method: request.method.rawValue, nativePath: request.path)
        record.traceParent = request.headers[.traceParent]
        guard let route = ProxyRoute(rawPath: request.path), let provider = self.configuration.provider(id: route.providerID) else {
            return self.respond(with: .unknownRoute(method: request.method.rawValue, path: request.path), dialect: Self.fallbackDialect, record: &record, logger: logger)
        }
        record.providerID = provider.declaration.id
        record.profileID = route.profileID
        record.nativePath = route.nativePath
        var exchange = ProxyExchange(request: request, route: route, provider: provider, record: record)
        // The body has gone upstream (or was never read) once the head is back.
        defer { self.bodyBudget.release(exchange.bodyReservation.bytes) }
        do {
            return try await self.forward(&exchange, logger: logger)
        } catch {
            return self.respond(with: error, dialect: exchange.clientDialect, record: &exchange.record, logger: logger)
        }
    }

    private func forward(_ exchange: inout ProxyExchange, logger: Logger) async throws(ProxyError) -> ProxyResponse {
        try await self.authenticate.authenticate(&exchange)
        Self.noteCaller(&exchange)
        try await self.resolveProfile.resolve(&exchange)
        exchange.record.profileID = exchange.profile?.id
        try await self.selectUpstreamKey.select(&exchange)
        exchange.record.providerKeyID = exchange.upstreamKey.providerKeyID

        if let local = exchange.provider.localEndpoints.first(where: { $0.method == exchange.request.method && $0.nativePath == exchange.route.nativePath }) {
            let response = try await local.respond(credential: exchange.upstreamKey.credential, httpClient: self.httpClient, logger: logger)
            exchange.record.status = response.status.code
            self.log.log(exchange.record, to: logger)
            return response
        }

        try await self.readBody.read(&exchange)
        // Before the limits: they, and the spend they count, concern the model actually used.
        try await self.optimiseModel.optimise(&exchange)
        try await self.spendLimits?.check(virtualKeyID: exchange.record.virtualKeyID, profileID: exchange.record.profileID, model: exchange.record.model)
        if let body = StreamUsageOption.upstreamBody(for: exchange) {
            exchange.request.body = .collected(body)
            exchange.addedStreamUsage = true
        }
        try await self.toolPolicies.evaluate(&exchange)
        // After the policies: the log keeps the body as it went upstream.
        self.captureRequestBody(&exchange)
        var upstreamRequest = try self.buildUpstreamRequest.build(exchange)
        try await self.authorizeUpstream.authorize(&upstreamRequest, exchange: &exchange)
        let upstream = try await self.callUpstream.call(upstreamRequest, exchange: &exchange, logger: logger)
        return self.relay.respond(with: upstream, exchange: exchange, logger: logger)
    }

    private static func noteCaller(_ exchange: inout ProxyExchange) {
        switch exchange.caller {
        case .virtualKey(let key): exchange.record.virtualKeyID = key.id
        case .oauthClient(let client): exchange.record.oauthClientID = client.id
        case .anonymous, .providerKey: break
        }
    }

    func respond(with error: ProxyError, dialect: any ProviderDialect, record: inout RequestLogRecord, logger: Logger) -> ProxyResponse {
        record.status = error.status.code
        record.errorCode = error.code.rawValue
        if Task.isCancelled {
            // The client left before the answer (``ClientDeparture``): logged as nginx does, 499.
            record.status = 499
            record.errorCode = "client_disconnected"
        }
        let response = dialect.errorResponse(for: error)
        record.responseBytes = response.body.contentLength ?? 0
        self.log.log(record, to: logger)
        return response
    }
}
