package import Gateway
import HTTPTypes
package import Hummingbird
package import Logging
package import WireFormats

/// The admin HTTP API under `/api/`: profiles, LLM proxies, provider keys, virtual keys and OAuth
/// clients, guarded by the admin token; the OAuth token endpoint, which clients authenticate to
/// with their own credentials; and the OpenAPI document describing both, served without a token
/// because it holds no state.
///
/// ```swift
/// let admin = AdminAPI(store: store, adminToken: token, providerIDs: catalog.ids, tokenIssuer: directory,
///                      limiter: limiter, addressResolver: resolver, logger: logger)
/// admin.register(on: router)
/// ```
///
/// Register it before any catch-all route (`/**`): Hummingbird prefers the more specific path,
/// so `/api/...` then never reaches the proxy. Every error is JSON (``AdminAPIError``, or
/// ``OAuthTokenError`` on the token endpoint); a store failure is logged and answered 500
/// without detail.
package struct AdminAPI: Sendable {
    package let administration: GatewayAdministration
    package let adminToken: Secret
    package let tokenIssuer: any AccessTokenIssuer
    package let limiter: FailedAuthenticationLimiter
    package let addressResolver: ClientAddressResolver
    /// The lifetime of issued access tokens (one hour, as Archestra's).
    package let accessTokenLifetime: Duration
    /// Receives one notice per admin change (what, which id) and one per refused credential
    /// (from which address); never a secret.
    package let logger: Logger

    package init(
        store: any GatewayStore,
        adminToken: Secret,
        providerIDs: [String],
        tokenIssuer: any AccessTokenIssuer,
        limiter: FailedAuthenticationLimiter,
        addressResolver: ClientAddressResolver,
        accessTokenLifetime: Duration = .seconds(3600),
        logger: Logger,
        onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.administration = GatewayAdministration(store: store, providerIDs: providerIDs, onChange: onChange)
        self.adminToken = adminToken
        self.tokenIssuer = tokenIssuer
        self.limiter = limiter
        self.addressResolver = addressResolver
        self.accessTokenLifetime = accessTokenLifetime
        self.logger = logger
    }

    /// Adds every `/api/...` route to `router`. The context must know the socket peer, which
    /// the failed-authentication limiter keys on.
    package func register<Context: RemoteAddressRequestContext>(on router: Router<Context>) {
        let api = router.group("api")
        api.get("openapi.json") { _, _ in AdminOpenAPIDocument.response() }
        let tokenRoute = OAuthTokenRoute<Context>(
            issuer: self.tokenIssuer, limiter: self.limiter, addressResolver: self.addressResolver, lifetime: self.accessTokenLifetime,
            logger: self.logger
        )
        api.post("auth/oauth2/token", use: tokenRoute.handle)

        let guarded = api.group()
            .add(middleware: AdminTokenMiddleware<Context>(
                adminToken: self.adminToken, limiter: self.limiter, addressResolver: self.addressResolver, logger: self.logger
            ))
        let routes = AdminResourceRoutes<Context>(administration: self.administration, logger: self.logger)
        routes.registerProfiles(on: guarded, path: "profiles", collection: .profiles)
        routes.registerProfiles(on: guarded, path: "llm-proxies", collection: .llmProxies)
        routes.registerProviderKeys(on: guarded)
        routes.registerVirtualKeys(on: guarded)
        routes.registerOAuthClients(on: guarded)
        routes.registerInteractions(on: guarded)
        routes.registerToolPolicies(on: guarded)
        routes.registerCost(on: guarded)
        routes.registerOptimisationRules(on: guarded)
        Self.refuseOtherMethods(on: router)
    }

    /// The methods answered 405 where a path does not serve them: RFC 9110's, and QUERY (a
    /// draft that API fuzzers probe).
    private static let methods: [HTTPRequest.Method] =
        [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect] + [HTTPRequest.Method("QUERY")].compactMap { $0 }

    /// Answers 405 with `allow` for a method an `/api/` path does not serve, rather than the bare
    /// 404 the router gives an unregistered method. Registered after the real routes, from the
    /// router's own list, so the two cannot disagree; no admin token is needed to learn which
    /// methods a path takes, as the OpenAPI document says so anyway.
    private static func refuseOtherMethods<Context: RemoteAddressRequestContext>(on router: Router<Context>) {
        var served: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]
        for route in router.routes where route.path.description.hasPrefix("/api/") {
            served[route.path.description, default: (route.path, [])].methods.append(route.method)
        }
        for (_, entry) in served.sorted(by: { $0.key < $1.key }) {
            let allowed = Self.methods.filter(entry.methods.contains)
            for method in Self.methods where !entry.methods.contains(method) {
                router.on(entry.path, method: method) { _, _ -> Response in throw AdminAPIError.methodNotAllowed(allowed: allowed) }
            }
        }
    }
}
