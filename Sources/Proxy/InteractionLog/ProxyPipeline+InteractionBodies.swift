import WireFormats

extension ProxyPipeline {
    /// With `ARCHESTRA_INTERACTION_LOG_BODIES` on, starts the request's ``CapturedBodies``: the
    /// body as it goes upstream (already read whole), and the credentials to scrub from both
    /// bodies later. Off, it does nothing and the relays copy nothing.
    func captureRequestBody(_ exchange: inout ProxyExchange) {
        let settings = self.configuration.interactionLog
        guard settings.logsBodies else { return }
        var captured = CapturedBodies(limit: settings.bodyLimitBytes, secrets: Self.credentialsToScrub(exchange))
        if case .collected(let body) = exchange.request.body { captured.request.append(body) }
        exchange.record.capturedBodies = captured
    }

    /// Every credential the client presented (where its route's SDK sends one, and a bearer
    /// token, the model router's) and the stored key chosen for the upstream.
    private static func credentialsToScrub(_ exchange: ProxyExchange) -> [Secret] {
        let credentials = exchange.request.credentials
        var values = exchange.provider.declaration.clientCredentials.compactMap { $0.key(in: credentials) }
        if let bearer = ClientCredentialLocation.authorizationBearer.key(in: credentials) { values.append(bearer) }
        var secrets = values.map(Secret.init)
        if case .stored(let secret, _) = exchange.upstreamKey.credential { secrets.append(secret) }
        return secrets
    }
}
