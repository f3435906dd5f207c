import Foundation
import Gateway

/// Pipeline step "credentials for the upstream", first half: which credential goes upstream for
/// this caller on this provider (the authorizer puts it on the request later, in the provider's
/// form).
///
/// - A virtual key: the provider key it maps for the route's provider; none mapped → 400.
/// - An OAuth client: the key it maps, or the provider's primary key when it maps none; none → 400.
/// - A raw provider key: forwarded as it came.
/// - No credential: the provider's primary key (seeded from `ARCHESTRA_CHAT_<P>_API_KEY`), else
///   nothing and the authorizer reports the missing key.
///
/// Keyless upstreams — the proxy's own cloud identity (Vertex ADC, Entra ID, Bedrock IAM), or a
/// self-hosted server with no key (Ollama, vLLM) — need no key, so a client that brings none
/// would be anonymous: they require a virtual key or OAuth token unless the operator opted out
/// with `ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS` (Archestra trusts loopback instead; we do not).
package struct UpstreamKeySelectionStep: Sendable {
    let directory: any CredentialDirectory
    let keylessAllowsAnonymous: Bool

    package init(directory: any CredentialDirectory, keylessAllowsAnonymous: Bool) {
        self.directory = directory
        self.keylessAllowsAnonymous = keylessAllowsAnonymous
    }

    package func select(_ exchange: inout ProxyExchange) async throws(ProxyError) {
        let provider = exchange.provider
        let providerID = provider.declaration.id
        let usesOwnIdentity = provider.authorizer.obtainsOwnCredentials
        switch exchange.caller {
        case .virtualKey(let key):
            let mapped = try await self.mappedKey(among: key.providerKeyIDs, provider: providerID)
            exchange.upstreamKey = try Self.gatewaySelection(mapped, source: .virtualKey, credential: "virtual key", provider: provider)
        case .oauthClient(let client):
            let key: ProviderKey?
            if client.providerKeyIDs.isEmpty {
                key = try await self.directory.lookup { try await self.directory.primaryProviderKey(provider: providerID) }
            } else {
                key = try await self.mappedKey(among: client.providerKeyIDs, provider: providerID)
            }
            exchange.upstreamKey = try Self.gatewaySelection(key, source: .oauthClient, credential: "OAuth client", provider: provider)
        case .providerKey:
            // On a cloud-identity upstream the client's key is dropped, so it proves nothing.
            if usesOwnIdentity, !self.keylessAllowsAnonymous {
                throw .clientAuthenticationRequired(provider: providerID, reason: "The \(providerID) upstream uses the proxy's own cloud identity; a provider key does not authenticate you.")
            }
            exchange.upstreamKey = UpstreamKeySelection(credential: .client(exchange.request.credentials))
        case .anonymous:
            if usesOwnIdentity {
                guard self.keylessAllowsAnonymous else {
                    throw .clientAuthenticationRequired(provider: providerID, reason: "No credential was sent.")
                }
                exchange.upstreamKey = UpstreamKeySelection(credential: .none)
            } else if let primary = try await self.directory.lookup({ try await self.directory.primaryProviderKey(provider: providerID) }) {
                exchange.upstreamKey = Self.selection(primary, source: .fallback)
            } else if provider.declaration.credentialOptional, !self.keylessAllowsAnonymous {
                throw .clientAuthenticationRequired(provider: providerID, reason: "No credential was sent.")
            } else {
                exchange.upstreamKey = UpstreamKeySelection(credential: .none)
            }
        }
    }

    /// The key of `provider` among `ids`; a mapping to a deleted key counts as none.
    private func mappedKey(among ids: [UUID], provider: String) async throws(ProxyError) -> ProviderKey? {
        for id in ids {
            if let key = try await self.directory.lookup({ try await self.directory.providerKey(id: id) }), key.provider == provider {
                return key
            }
        }
        return nil
    }

    /// A gateway credential's key for the provider; without one, a keyless upstream still serves
    /// (the caller is authenticated), any other answers 400.
    private static func gatewaySelection(
        _ key: ProviderKey?, source: CredentialSource, credential: String, provider: ResolvedProvider
    ) throws(ProxyError) -> UpstreamKeySelection {
        if let key { return Self.selection(key, source: source) }
        guard provider.authorizer.obtainsOwnCredentials || provider.declaration.credentialOptional else {
            throw .noProviderKey(provider: provider.declaration.id, credential: credential)
        }
        return UpstreamKeySelection(credential: .none)
    }

    private static func selection(_ key: ProviderKey, source: CredentialSource) -> UpstreamKeySelection {
        UpstreamKeySelection(credential: .stored(key.secret, source: source), baseURL: key.baseURL, extraHeaders: key.extraHeaders, providerKeyID: key.id)
    }
}
