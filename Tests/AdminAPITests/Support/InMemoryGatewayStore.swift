import Foundation
import AdminAPI
import Gateway
import WireFormats

/// A `GatewayStore` in a dictionary, for the admin API's tests: it keeps the protocol's
/// documented semantics (default profile, conflict on deleting it, invalid references,
/// one primary per provider, revocation) and nothing more.
actor InMemoryGatewayStore: GatewayStore {
    private var revisionValue: Int64 = 0
    private var profileRows: [Profile] = []
    private var providerKeyRows: [ProviderKey] = []
    private var virtualKeyRows: [(key: VirtualKey, value: Secret)] = []
    private var clientRows: [(client: OAuthClient, secret: Secret)] = []
    private var tokens: [String: OAuthAccessToken] = [:]
    /// Set to make every call throw, as a broken database would.
    var failure: GatewayStoreError?

    init() {
        self.profileRows = [Profile(id: UUID(), name: "default", kind: .profile, isDefault: true, createdAt: Date())]
    }

    func setFailure(_ failure: GatewayStoreError?) { self.failure = failure }

    private func check() throws {
        if let failure { throw failure }
    }

    private func bump() { self.revisionValue += 1 }

    nonisolated var isSharedByReplicas: Bool { false }
    func revision() async throws -> Int64 { try self.check(); return self.revisionValue }

    func defaultProfile() async throws -> Profile {
        try self.check()
        guard let profile = self.profileRows.first(where: \.isDefault) else { throw GatewayStoreError.engine("no default profile") }
        return profile
    }

    func createProfile(_ draft: ProfileDraft) async throws -> Profile {
        try self.check()
        let profile = Profile(
            id: UUID(), name: draft.name, kind: draft.kind, isDefault: false, considerContextUntrusted: draft.considerContextUntrusted, createdAt: Date()
        )
        self.profileRows.append(profile)
        self.bump()
        return profile
    }

    func profiles(kind: ProfileKind?) async throws -> [Profile] {
        try self.check()
        return self.profileRows.filter { kind == nil || $0.kind == kind }
    }

    func profile(id: UUID) async throws -> Profile? {
        try self.check()
        return self.profileRows.first { $0.id == id }
    }

    func updateProfile(id: UUID, _ update: ProfileUpdate) async throws -> Profile? {
        try self.check()
        guard let index = self.profileRows.firstIndex(where: { $0.id == id }) else { return nil }
        if let name = update.name { self.profileRows[index].name = name }
        if let flag = update.considerContextUntrusted { self.profileRows[index].considerContextUntrusted = flag }
        self.bump()
        return self.profileRows[index]
    }

    func deleteProfile(id: UUID) async throws -> Bool {
        try self.check()
        guard let index = self.profileRows.firstIndex(where: { $0.id == id }) else { return false }
        if self.profileRows[index].isDefault { throw GatewayStoreError.conflict("the default profile cannot be deleted") }
        self.profileRows.remove(at: index)
        self.bump()
        return true
    }

    func createProviderKey(_ draft: ProviderKeyDraft) async throws -> ProviderKey {
        try self.check()
        let hasPrimary = self.providerKeyRows.contains { $0.provider == draft.provider && $0.isPrimary }
        let primary = draft.isPrimary ?? !hasPrimary
        if primary {
            for index in self.providerKeyRows.indices where self.providerKeyRows[index].provider == draft.provider {
                self.providerKeyRows[index].isPrimary = false
            }
        }
        let key = ProviderKey(
            id: UUID(), provider: draft.provider, name: draft.name, secret: draft.secret, baseURL: draft.baseURL, extraHeaders: draft.extraHeaders,
            isPrimary: primary, createdAt: Date()
        )
        self.providerKeyRows.append(key)
        self.bump()
        return key
    }

    func providerKeys() async throws -> [ProviderKey] { try self.check(); return self.providerKeyRows }

    func providerKey(id: UUID) async throws -> ProviderKey? {
        try self.check()
        return self.providerKeyRows.first { $0.id == id }
    }

    func updateProviderKey(id: UUID, _ update: ProviderKeyUpdate) async throws -> ProviderKey? {
        try self.check()
        guard let index = self.providerKeyRows.firstIndex(where: { $0.id == id }) else { return nil }
        if let name = update.name { self.providerKeyRows[index].name = name }
        if let secret = update.secret { self.providerKeyRows[index].secret = secret }
        if let baseURL = update.baseURL { self.providerKeyRows[index].baseURL = baseURL }
        if let headers = update.extraHeaders { self.providerKeyRows[index].extraHeaders = headers }
        if let primary = update.isPrimary { self.providerKeyRows[index].isPrimary = primary }
        self.bump()
        return self.providerKeyRows[index]
    }

    func deleteProviderKey(id: UUID) async throws -> Bool {
        try self.check()
        guard let index = self.providerKeyRows.firstIndex(where: { $0.id == id }) else { return false }
        self.providerKeyRows.remove(at: index)
        for row in self.virtualKeyRows.indices { self.virtualKeyRows[row].key.providerKeyIDs.removeAll { $0 == id } }
        for row in self.clientRows.indices { self.clientRows[row].client.providerKeyIDs.removeAll { $0 == id } }
        self.bump()
        return true
    }

    func seedPrimaryProviderKey(provider: String, secret: Secret) async throws -> ProviderKey {
        try await self.createProviderKey(ProviderKeyDraft(provider: provider, secret: secret, isPrimary: true))
    }

    private func checkReferences(_ ids: [UUID]) throws {
        var providers: Set<String> = []
        for id in ids {
            guard let key = self.providerKeyRows.first(where: { $0.id == id }) else { throw GatewayStoreError.invalid("unknown provider key") }
            guard providers.insert(key.provider).inserted else { throw GatewayStoreError.invalid("two keys for one provider") }
        }
    }

    func createVirtualKey(_ draft: VirtualKeyDraft) async throws -> (key: VirtualKey, value: Secret) {
        try self.check()
        try self.checkReferences(draft.providerKeyIDs)
        let value = "arch_" + (0..<64).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined()
        let key = VirtualKey(
            id: UUID(), name: draft.name, tokenStart: String(value.prefix(14)), providerKeyIDs: draft.providerKeyIDs, expiresAt: draft.expiresAt,
            revokedAt: nil, lastUsedAt: nil, createdAt: Date()
        )
        self.virtualKeyRows.append((key, Secret(value)))
        self.bump()
        return (key, Secret(value))
    }

    func virtualKeys() async throws -> [VirtualKey] { try self.check(); return self.virtualKeyRows.map(\.key) }

    func virtualKey(id: UUID) async throws -> VirtualKey? {
        try self.check()
        return self.virtualKeyRows.first { $0.key.id == id }?.key
    }

    func updateVirtualKey(id: UUID, _ update: VirtualKeyUpdate) async throws -> VirtualKey? {
        try self.check()
        guard let index = self.virtualKeyRows.firstIndex(where: { $0.key.id == id }) else { return nil }
        if let ids = update.providerKeyIDs {
            try self.checkReferences(ids)
            self.virtualKeyRows[index].key.providerKeyIDs = ids
        }
        if let name = update.name { self.virtualKeyRows[index].key.name = name }
        if let expiry = update.expiresAt { self.virtualKeyRows[index].key.expiresAt = expiry }
        self.bump()
        return self.virtualKeyRows[index].key
    }

    func revokeVirtualKey(id: UUID) async throws -> Bool {
        try self.check()
        guard let index = self.virtualKeyRows.firstIndex(where: { $0.key.id == id }) else { return false }
        if self.virtualKeyRows[index].key.revokedAt == nil { self.virtualKeyRows[index].key.revokedAt = Date() }
        self.bump()
        return true
    }

    func virtualKeyCandidates(tokenStart: String) async throws -> [(key: VirtualKey, value: Secret)] {
        try self.check()
        return self.virtualKeyRows.filter { $0.key.tokenStart == tokenStart }
    }

    func recordVirtualKeyUse(id: UUID, at date: Date) async throws {
        try self.check()
        if let index = self.virtualKeyRows.firstIndex(where: { $0.key.id == id }) { self.virtualKeyRows[index].key.lastUsedAt = date }
    }

    func createOAuthClient(_ draft: OAuthClientDraft) async throws -> (client: OAuthClient, secret: Secret) {
        try self.check()
        try self.checkReferences(draft.providerKeyIDs)
        let hex = { (count: Int) in (0..<count).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined() }
        let client = OAuthClient(
            id: UUID(), clientID: "llm_oauth_" + hex(32), name: draft.name, allowedProfileIDs: draft.allowedProfileIDs,
            providerKeyIDs: draft.providerKeyIDs, revokedAt: nil, createdAt: Date()
        )
        let secret = Secret("llm_secret_" + hex(48))
        self.clientRows.append((client, secret))
        self.bump()
        return (client, secret)
    }

    func oauthClients() async throws -> [OAuthClient] { try self.check(); return self.clientRows.map(\.client) }

    func oauthClient(id: UUID) async throws -> OAuthClient? {
        try self.check()
        return self.clientRows.first { $0.client.id == id }?.client
    }

    func updateOAuthClient(id: UUID, _ update: OAuthClientUpdate) async throws -> OAuthClient? {
        try self.check()
        guard let index = self.clientRows.firstIndex(where: { $0.client.id == id }) else { return nil }
        if let ids = update.providerKeyIDs {
            try self.checkReferences(ids)
            self.clientRows[index].client.providerKeyIDs = ids
        }
        if let name = update.name { self.clientRows[index].client.name = name }
        if let ids = update.allowedProfileIDs { self.clientRows[index].client.allowedProfileIDs = ids }
        self.bump()
        return self.clientRows[index].client
    }

    func revokeOAuthClient(id: UUID) async throws -> Bool {
        try self.check()
        guard let index = self.clientRows.firstIndex(where: { $0.client.id == id }) else { return false }
        if self.clientRows[index].client.revokedAt == nil { self.clientRows[index].client.revokedAt = Date() }
        self.tokens = self.tokens.filter { $0.value.clientID != id }
        self.bump()
        return true
    }

    func authenticateOAuthClient(clientID: String, secret: Secret) async throws -> OAuthClient? {
        try self.check()
        guard let row = self.clientRows.first(where: { $0.client.clientID == clientID }), row.secret == secret, row.client.revokedAt == nil
        else { return nil }
        return row.client
    }

    func saveAccessToken(_ token: OAuthAccessToken) async throws {
        try self.check()
        self.tokens[token.tokenHash] = token
    }

    func accessToken(hash: String) async throws -> OAuthAccessToken? {
        try self.check()
        return self.tokens[hash]
    }

    func deleteAccessTokens(expiredBefore date: Date) async throws -> Int {
        try self.check()
        let before = self.tokens.count
        self.tokens = self.tokens.filter { $0.value.expiresAt >= date }
        return before - self.tokens.count
    }

    private var lists: [String: ModelList] = [:]

    func saveModelList(_ list: ModelList) async throws {
        try self.check()
        self.lists[list.source.storedValue] = list
    }

    func modelLists() async throws -> [ModelList] {
        try self.check()
        return self.lists.values.sorted { ($0.provider, $0.source.storedValue) < ($1.provider, $1.source.storedValue) }
    }

    private var interactionRows: [Interaction] = []

    func insertInteractions(_ interactions: [Interaction]) async throws {
        try self.check()
        for var interaction in interactions {
            interaction.sequence = (self.interactionRows.last?.sequence ?? 0) + 1
            self.interactionRows.append(interaction)
        }
    }

    func interactions(_ query: InteractionQuery) async throws -> [Interaction] {
        try self.check()
        var rows = self.interactionRows.filter { row in
            (query.profileID == nil || row.profileID == query.profileID)
                && (query.virtualKeyID == nil || row.virtualKeyID == query.virtualKeyID)
                && (query.provider == nil || row.provider == query.provider)
                && (query.model == nil || row.model == query.model)
                && (query.status == nil || row.status == query.status)
                && (query.since.map { row.startedAt >= $0 } ?? true)
                && (query.until.map { row.startedAt < $0 } ?? true)
        }
        switch query.order {
        case .newestFirst(let before):
            rows = rows.reversed().filter { before == nil || $0.sequence < before! }
        case .oldestFirst(let after):
            rows = rows.filter { after == nil || $0.sequence > after! }
        }
        return Array(rows.prefix(query.limit)).map { row in
            var row = row
            if !query.includeBodies { row.bodies = nil }
            return row
        }
    }

    func interaction(id: UUID) async throws -> Interaction? {
        try self.check()
        return self.interactionRows.first { $0.id == id }
    }

    func deleteInteractions(startedBefore date: Date) async throws -> Int {
        try self.check()
        let before = self.interactionRows.count
        self.interactionRows.removeAll { $0.startedAt < date }
        return before - self.interactionRows.count
    }

    // MARK: Tool policies

    private var policyRows: [ToolPolicy] = []

    func createToolPolicy(_ draft: ToolPolicyDraft) async throws -> ToolPolicy {
        try self.check()
        if let problem = draft.problem { throw GatewayStoreError.invalid(problem) }
        let policy = ToolPolicy(
            id: UUID(), kind: draft.kind, profileID: draft.profileID, toolName: draft.toolName, conditions: draft.conditions,
            action: draft.action, reason: draft.reason, createdAt: Date())
        self.policyRows.append(policy)
        self.bump()
        return policy
    }

    func toolPolicies() async throws -> [ToolPolicy] { try self.check(); return self.policyRows }

    func toolPolicy(id: UUID) async throws -> ToolPolicy? { try self.check(); return self.policyRows.first { $0.id == id } }

    func deleteToolPolicy(id: UUID) async throws -> Bool {
        try self.check()
        guard let index = self.policyRows.firstIndex(where: { $0.id == id }) else { return false }
        self.policyRows.remove(at: index)
        self.bump()
        return true
    }

    // MARK: Optimisation rules

    private var optimisationRows: [OptimisationRule] = []

    func createOptimisationRule(_ draft: OptimisationRuleDraft) async throws -> OptimisationRule {
        try self.check()
        if let problem = draft.problem { throw GatewayStoreError.invalid(problem) }
        let rule = OptimisationRule(
            id: UUID(), provider: draft.provider, targetModel: draft.targetModel, conditions: draft.conditions, enabled: draft.enabled, createdAt: Date())
        self.optimisationRows.append(rule)
        self.bump()
        return rule
    }

    func optimisationRules() async throws -> [OptimisationRule] { try self.check(); return self.optimisationRows }

    func optimisationRule(id: UUID) async throws -> OptimisationRule? { try self.check(); return self.optimisationRows.first { $0.id == id } }

    func setOptimisationRuleEnabled(id: UUID, enabled: Bool) async throws -> OptimisationRule? {
        try self.check()
        guard let index = self.optimisationRows.firstIndex(where: { $0.id == id }) else { return nil }
        self.optimisationRows[index].enabled = enabled
        self.bump()
        return self.optimisationRows[index]
    }

    func deleteOptimisationRule(id: UUID) async throws -> Bool {
        try self.check()
        guard let index = self.optimisationRows.firstIndex(where: { $0.id == id }) else { return false }
        self.optimisationRows.remove(at: index)
        self.bump()
        return true
    }
}

/// Issues tokens for the fake store's clients, as `GatewayDirectory` does for the real one.
struct InMemoryAccessTokenIssuer: AccessTokenIssuer {
    let store: InMemoryGatewayStore

    func issueAccessToken(clientID: String, secret: Secret, scope: String, lifetime: Duration, now: Date) async throws -> IssuedAccessToken? {
        guard let client = try await self.store.authenticateOAuthClient(clientID: clientID, secret: secret) else { return nil }
        let value = "llm_at_" + UUID().uuidString.lowercased()
        let seconds = Int(lifetime.components.seconds)
        try await self.store.saveAccessToken(
            OAuthAccessToken(tokenHash: value, clientID: client.id, scope: scope, expiresAt: now.addingTimeInterval(TimeInterval(seconds)), createdAt: now)
        )
        return IssuedAccessToken(value: Secret(value), expiresIn: seconds, expiresAt: now.addingTimeInterval(TimeInterval(seconds)), scope: scope)
    }
}
