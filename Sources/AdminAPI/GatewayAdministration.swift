package import Foundation
package import Gateway
package import WireFormats

/// What an administrator can do to the gateway's state, with every check the store does not make
/// itself (known provider, URL rule, referenced ids exist, one key per provider). The HTTP API and
/// the CLI both go through it, so they accept and refuse the same things and print the same
/// resources.
///
/// Throws ``AdminAPIError`` for anything the caller can fix; a store failure that is not the
/// caller's doing (``GatewayStoreError/engine(_:)`` and the like) is rethrown unchanged for the
/// caller to report.
package struct GatewayAdministration: Sendable {
    package let store: any GatewayStore
    /// Route names of the providers this proxy serves (`openai`, `bedrock`, ...), in the order
    /// error messages list them.
    package let providerIDs: [String]
    private let now: @Sendable () -> Date
    /// Runs after every successful change: the serving process drops its cached credentials at
    /// once, so a revocation through the API takes effect before the response (other processes
    /// notice through the store's revision).
    let onChange: @Sendable () -> Void

    package init(
        store: any GatewayStore,
        providerIDs: [String],
        now: @escaping @Sendable () -> Date = { Date() },
        onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.providerIDs = providerIDs
        self.now = now
        self.onChange = onChange
    }

    // MARK: Profiles and LLM proxies

    package func profiles(in collection: ProfileCollection) async throws -> [ProfileResource] {
        try await self.storeCall { try await self.store.profiles(kind: nil) }
            .filter(collection.contains)
            .map(ProfileResource.init)
    }

    package func profile(id: UUID, in collection: ProfileCollection) async throws -> ProfileResource {
        ProfileResource(try await self.existingProfile(id: id, in: collection))
    }

    package func createProfile(in collection: ProfileCollection, name: String, considerContextUntrusted: Bool = false) async throws -> ProfileResource {
        let draft = ProfileDraft(name: try AdminInputRules.name(name), kind: collection.kind, considerContextUntrusted: considerContextUntrusted)
        return ProfileResource(try await self.storeChange { try await self.store.createProfile(draft) })
    }

    package func updateProfile(id: UUID, in collection: ProfileCollection, name: String?, considerContextUntrusted: Bool?) async throws -> ProfileResource {
        _ = try await self.existingProfile(id: id, in: collection)
        let update = ProfileUpdate(name: try AdminInputRules.optionalName(name), considerContextUntrusted: considerContextUntrusted)
        guard let profile = try await self.storeChange({ try await self.store.updateProfile(id: id, update) }) else {
            throw AdminAPIError.notFound(collection.singular)
        }
        return ProfileResource(profile)
    }

    package func deleteProfile(id: UUID, in collection: ProfileCollection) async throws {
        let profile = try await self.existingProfile(id: id, in: collection)
        // Checked here as well as in the store so the answer is the same 409 whichever store
        // implementation is behind it.
        guard !profile.isDefault else {
            throw AdminAPIError.conflict("the default profile serves routes without an id and cannot be deleted")
        }
        guard try await self.storeChange({ try await self.store.deleteProfile(id: id) }) else {
            throw AdminAPIError.notFound(collection.singular)
        }
    }

    private func existingProfile(id: UUID, in collection: ProfileCollection) async throws -> Profile {
        guard let profile = try await self.storeCall({ try await self.store.profile(id: id) }), collection.contains(profile) else {
            throw AdminAPIError.notFound(collection.singular)
        }
        return profile
    }

    // MARK: Provider keys

    package func providerKeys() async throws -> [ProviderKeyResource] {
        try await self.storeCall { try await self.store.providerKeys() }.map(ProviderKeyResource.init)
    }

    package func providerKey(id: UUID) async throws -> ProviderKeyResource {
        guard let key = try await self.storeCall({ try await self.store.providerKey(id: id) }) else {
            throw AdminAPIError.notFound("provider key")
        }
        return ProviderKeyResource(key)
    }

    package func createProviderKey(
        provider: String, apiKey: Secret, name: String? = nil, baseURL: String? = nil, extraHeaders: [String: String]? = nil, isPrimary: Bool? = nil
    ) async throws -> ProviderKeyResource {
        let draft = ProviderKeyDraft(
            provider: try AdminInputRules.provider(provider, known: self.providerIDs),
            name: try AdminInputRules.optionalName(name),
            secret: try AdminInputRules.apiKey(apiKey),
            baseURL: try baseURL.map { try AdminInputRules.baseURL($0) },
            extraHeaders: try AdminInputRules.extraHeaders(extraHeaders ?? [:]),
            isPrimary: isPrimary
        )
        return ProviderKeyResource(try await self.storeChange { try await self.store.createProviderKey(draft) })
    }

    /// `baseURL: .some(nil)` clears the key's base URL.
    package func updateProviderKey(
        id: UUID, name: String? = nil, apiKey: Secret? = nil, baseURL: String?? = nil, extraHeaders: [String: String]? = nil, isPrimary: Bool? = nil
    ) async throws -> ProviderKeyResource {
        let update = ProviderKeyUpdate(
            name: try AdminInputRules.optionalName(name),
            secret: try apiKey.map { try AdminInputRules.apiKey($0) },
            baseURL: try baseURL.map { try $0.map { try AdminInputRules.baseURL($0) } },
            extraHeaders: try extraHeaders.map { try AdminInputRules.extraHeaders($0) },
            isPrimary: isPrimary
        )
        guard let key = try await self.storeChange({ try await self.store.updateProviderKey(id: id, update) }) else {
            throw AdminAPIError.notFound("provider key")
        }
        return ProviderKeyResource(key)
    }

    package func deleteProviderKey(id: UUID) async throws {
        guard try await self.storeChange({ try await self.store.deleteProviderKey(id: id) }) else {
            throw AdminAPIError.notFound("provider key")
        }
    }

    // MARK: Virtual keys

    package func virtualKeys() async throws -> [VirtualKeyResource] {
        try await self.storeCall { try await self.store.virtualKeys() }.map(VirtualKeyResource.init)
    }

    package func virtualKey(id: UUID) async throws -> VirtualKeyResource {
        guard let key = try await self.storeCall({ try await self.store.virtualKey(id: id) }) else {
            throw AdminAPIError.notFound("virtual key")
        }
        return VirtualKeyResource(key)
    }

    package func createVirtualKey(
        name: String? = nil, providerKeyIDs: [UUID], expiresAt: Date? = nil, expiresInSeconds: Int? = nil
    ) async throws -> CreatedVirtualKeyResource {
        guard !providerKeyIDs.isEmpty else {
            throw AdminAPIError.invalidField("provider_key_ids", "must name at least one provider key")
        }
        let draft = VirtualKeyDraft(
            name: try AdminInputRules.optionalName(name),
            providerKeyIDs: try await self.checkedProviderKeyIDs(providerKeyIDs),
            expiresAt: try AdminInputRules.expiry(expiresAt: expiresAt, expiresInSeconds: expiresInSeconds, now: self.now())
        )
        let created = try await self.storeChange { try await self.store.createVirtualKey(draft) }
        return CreatedVirtualKeyResource(key: created.key, value: created.value)
    }

    /// `expiresAt: .some(nil)` removes the expiry.
    package func updateVirtualKey(id: UUID, name: String? = nil, expiresAt: Date?? = nil, providerKeyIDs: [UUID]? = nil) async throws -> VirtualKeyResource {
        if let providerKeyIDs, providerKeyIDs.isEmpty {
            throw AdminAPIError.invalidField("provider_key_ids", "must name at least one provider key")
        }
        let now = self.now()
        let update = VirtualKeyUpdate(
            name: try AdminInputRules.optionalName(name),
            expiresAt: try expiresAt.map { try $0.map { try AdminInputRules.futureDate($0, field: "expires_at", now: now) } },
            providerKeyIDs: try await providerKeyIDs.asyncMap { try await self.checkedProviderKeyIDs($0) }
        )
        guard let key = try await self.storeChange({ try await self.store.updateVirtualKey(id: id, update) }) else {
            throw AdminAPIError.notFound("virtual key")
        }
        return VirtualKeyResource(key)
    }

    package func revokeVirtualKey(id: UUID) async throws {
        guard try await self.storeChange({ try await self.store.revokeVirtualKey(id: id) }) else {
            throw AdminAPIError.notFound("virtual key")
        }
    }

    // MARK: OAuth clients

    package func oauthClients() async throws -> [OAuthClientResource] {
        try await self.storeCall { try await self.store.oauthClients() }.map(OAuthClientResource.init)
    }

    package func oauthClient(id: UUID) async throws -> OAuthClientResource {
        guard let client = try await self.storeCall({ try await self.store.oauthClient(id: id) }) else {
            throw AdminAPIError.notFound("OAuth client")
        }
        return OAuthClientResource(client)
    }

    /// No `providerKeyIDs` means the primary key of each provider.
    package func createOAuthClient(name: String? = nil, allowedProxyIDs: [UUID] = [], providerKeyIDs: [UUID] = []) async throws -> CreatedOAuthClientResource {
        let draft = OAuthClientDraft(
            name: try AdminInputRules.optionalName(name),
            allowedProfileIDs: try await self.checkedProfileIDs(allowedProxyIDs),
            providerKeyIDs: try await self.checkedProviderKeyIDs(providerKeyIDs)
        )
        let created = try await self.storeChange { try await self.store.createOAuthClient(draft) }
        return CreatedOAuthClientResource(client: created.client, secret: created.secret)
    }

    package func updateOAuthClient(id: UUID, name: String? = nil, allowedProxyIDs: [UUID]? = nil, providerKeyIDs: [UUID]? = nil) async throws -> OAuthClientResource {
        let update = OAuthClientUpdate(
            name: try AdminInputRules.optionalName(name),
            allowedProfileIDs: try await allowedProxyIDs.asyncMap { try await self.checkedProfileIDs($0) },
            providerKeyIDs: try await providerKeyIDs.asyncMap { try await self.checkedProviderKeyIDs($0) }
        )
        guard let client = try await self.storeChange({ try await self.store.updateOAuthClient(id: id, update) }) else {
            throw AdminAPIError.notFound("OAuth client")
        }
        return OAuthClientResource(client)
    }

    package func revokeOAuthClient(id: UUID) async throws {
        guard try await self.storeChange({ try await self.store.revokeOAuthClient(id: id) }) else {
            throw AdminAPIError.notFound("OAuth client")
        }
    }

    // MARK: Checks against the store

    /// Every id names an existing provider key, and no two keys serve the same provider: a
    /// credential maps at most one key per provider, or the proxy could not tell which to use.
    private func checkedProviderKeyIDs(_ ids: [UUID]) async throws -> [UUID] {
        let ids = try AdminInputRules.ids(ids, field: "provider_key_ids")
        guard !ids.isEmpty else { return ids }
        let keys = try await self.storeCall { try await self.store.providerKeys() }
        let byID = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var providers: Set<String> = []
        for id in ids {
            guard let key = byID[id] else {
                throw AdminAPIError.rejected("`provider_key_ids` names \(id.uuidString.lowercased()), which is not a provider key")
            }
            guard providers.insert(key.provider).inserted else {
                throw AdminAPIError.rejected("`provider_key_ids` names two keys for `\(key.provider)`; at most one per provider")
            }
        }
        return ids
    }

    private func checkedProfileIDs(_ ids: [UUID]) async throws -> [UUID] {
        let ids = try AdminInputRules.ids(ids, field: "allowed_proxy_ids")
        for id in ids where try await self.storeCall({ try await self.store.profile(id: id) }) == nil {
            throw AdminAPIError.rejected("`allowed_proxy_ids` names \(id.uuidString.lowercased()), which is not a profile or LLM proxy")
        }
        return ids
    }

    /// ``storeCall(_:)`` for a write, then ``onChange``.
    func storeChange<Value>(_ body: () async throws -> Value) async throws -> Value {
        let value = try await self.storeCall(body)
        self.onChange()
        return value
    }

    /// Turns the store's input and state refusals into the caller's errors; anything else is the
    /// server's problem and passes through.
    func storeCall<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch GatewayStoreError.invalid(let message) {
            throw AdminAPIError.rejected(message)
        } catch GatewayStoreError.conflict(let message) {
            throw AdminAPIError.conflict(message)
        }
    }
}

/// Which of the two views of the profile entity a route or command addresses.
package enum ProfileCollection: Sendable {
    /// `/api/profiles`: profiles of kind `profile`.
    case profiles
    /// `/api/llm-proxies`: LLM proxies, and the default profile, which also serves as the
    /// default LLM proxy.
    case llmProxies

    var kind: ProfileKind {
        switch self {
        case .profiles: return .profile
        case .llmProxies: return .llmProxy
        }
    }

    var singular: String {
        switch self {
        case .profiles: return "profile"
        case .llmProxies: return "LLM proxy"
        }
    }

    func contains(_ profile: Profile) -> Bool {
        switch self {
        case .profiles: return profile.kind == .profile
        case .llmProxies: return profile.servesModelRouter
        }
    }
}

extension Optional {
    fileprivate func asyncMap<Mapped>(_ transform: (Wrapped) async throws -> Mapped) async throws -> Mapped? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
