package import Gateway
package import Logging

/// The gateway's state for one `archestra serve` process: the store, the in-memory directory the
/// hot path reads, and the failed-authentication limiter. Opened once at start.
package struct GatewayRuntime: Sendable {
    package let store: any GatewayStore
    package let directory: GatewayDirectory
    package let limiter: FailedAuthenticationLimiter
    package let addresses: ClientAddressResolver

    package init(store: any GatewayStore, directory: GatewayDirectory, limiter: FailedAuthenticationLimiter = FailedAuthenticationLimiter(), addresses: ClientAddressResolver) {
        self.store = store
        self.directory = directory
        self.limiter = limiter
        self.addresses = addresses
    }

    /// Opens the store at `ARCHESTRA_DATABASE_URL` (migrating it), and seeds each provider's
    /// primary key from `ARCHESTRA_CHAT_<PROVIDER>_API_KEY`, so that configurations written before
    /// the store existed keep working unchanged.
    ///
    /// - Throws: ``GatewayStoreError`` (a bad URL, a database from a newer archestra, an unusable
    ///   secret key); its description names the problem and never a secret.
    package static func open(configuration: ProxyConfiguration, logger: Logger) async throws -> GatewayRuntime {
        let url = try DatabaseURL(parsing: configuration.databaseURL)
        let store = try await SQLiteGatewayStore(url: url, environment: configuration.environment)
        for provider in configuration.providers {
            guard let key = provider.seedAPIKey else { continue }
            try await store.seedPrimaryProviderKey(provider: provider.declaration.id, secret: key)
        }
        return GatewayRuntime(
            store: store,
            directory: GatewayDirectory(store: store, logger: logger),
            addresses: ClientAddressResolver(trustedProxies: configuration.trustedProxies)
        )
    }
}
