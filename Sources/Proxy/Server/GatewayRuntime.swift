import AdminAPI
package import Gateway
package import Logging
package import WireFormats

/// The gateway's state for one `archestra serve` process: the store, the in-memory directory the
/// hot path reads, and the failed-authentication limiter. Opened once at start.
package struct GatewayRuntime: Sendable {
    package let store: any GatewayStore
    package let directory: GatewayDirectory
    package let limiter: FailedAuthenticationLimiter
    package let addresses: ClientAddressResolver
    /// Prices, spending limits and spend, in memory for the hot path.
    package let costs: CostLedger
    /// The admin API's bearer token: `ARCHESTRA_ADMIN_TOKEN`, else one generated at first start
    /// and kept in a 0600 file beside the database, else (in-memory database) one for this run.
    package let adminToken: Secret

    package init(
        store: any GatewayStore,
        directory: GatewayDirectory,
        limiter: FailedAuthenticationLimiter = FailedAuthenticationLimiter(),
        addresses: ClientAddressResolver,
        adminToken: Secret,
        costs: CostLedger? = nil
    ) {
        self.costs = costs ?? CostLedger(store: store, logger: Logger(label: "archestra.cost"))
        self.store = store
        self.directory = directory
        self.limiter = limiter
        self.addresses = addresses
        self.adminToken = adminToken
    }

    /// Opens the store at `ARCHESTRA_DATABASE_URL` (migrating it), and seeds each provider's
    /// primary key from `ARCHESTRA_CHAT_<PROVIDER>_API_KEY`, so that configurations written before
    /// the store existed keep working unchanged.
    ///
    /// - Throws: ``GatewayStoreError`` (a bad URL, a database from a newer archestra, an unusable
    ///   secret key); its description names the problem and never a secret.
    package static func open(configuration: ProxyConfiguration, logger: Logger) async throws -> GatewayRuntime {
        let url = try DatabaseURL(parsing: configuration.databaseURL)
        let store = try await GatewayStoreOpener.open(url, environment: configuration.environment, logger: logger)
        for provider in configuration.providers {
            guard let key = provider.seedAPIKey else { continue }
            try await store.seedPrimaryProviderKey(provider: provider.declaration.id, secret: key)
        }
        let adminToken = try AdminTokenSource(environmentValue: configuration.adminToken?.exposedValue, database: url).resolve(logger: logger)
        return GatewayRuntime(
            store: store,
            directory: GatewayDirectory(store: store, logger: logger),
            addresses: ClientAddressResolver(trustedProxies: configuration.trustedProxies),
            adminToken: adminToken.value,
            costs: CostLedger(store: store, logger: logger)
        )
    }
}
