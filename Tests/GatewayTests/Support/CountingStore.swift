import Foundation
import Gateway
import Synchronization
import WireFormats

/// Forwards to a real store and counts the calls the directory's hot path makes, so tests can
/// tell a cache hit from a store read.
final class CountingStore: GatewayStore {
    let base: any GatewayStore
    private let counts = Mutex<[String: Int]>([:])
    /// Makes `revision()` throw while set, to test poll failures.
    let failRevision = Mutex(false)
    /// Holds calls of the named method at a gate while one is set.
    let gates = Mutex<[String: Gate]>([:])

    init(_ base: any GatewayStore) { self.base = base }

    var isSharedByReplicas: Bool { self.base.isSharedByReplicas }

    func count(_ name: String) -> Int { self.counts.withLock { $0[name, default: 0] } }
    var totalReads: Int { self.counts.withLock { $0.filter { $0.key != "revision" }.values.reduce(0, +) } }
    private func note(_ name: String) { self.counts.withLock { $0[name, default: 0] += 1 } }
    func passGate(_ name: String) async {
        if let gate = self.gates.withLock({ $0[name] }) { await gate.pass() }
    }

    func revision() async throws -> Int64 {
        self.note("revision")
        if self.failRevision.withLock({ $0 }) { throw GatewayStoreError.engine("simulated failure") }
        return try await self.base.revision()
    }
    func defaultProfile() async throws -> Profile { self.note("defaultProfile"); return try await self.base.defaultProfile() }
    func createProfile(_ draft: ProfileDraft) async throws -> Profile { try await self.base.createProfile(draft) }
    func profiles(kind: ProfileKind?) async throws -> [Profile] { try await self.base.profiles(kind: kind) }
    func profile(id: UUID) async throws -> Profile? { self.note("profile"); return try await self.base.profile(id: id) }
    func updateProfile(id: UUID, _ update: ProfileUpdate) async throws -> Profile? { try await self.base.updateProfile(id: id, update) }
    func deleteProfile(id: UUID) async throws -> Bool { try await self.base.deleteProfile(id: id) }
    func createProviderKey(_ draft: ProviderKeyDraft) async throws -> ProviderKey { try await self.base.createProviderKey(draft) }
    func providerKeys() async throws -> [ProviderKey] { self.note("providerKeys"); return try await self.base.providerKeys() }
    func providerKey(id: UUID) async throws -> ProviderKey? { self.note("providerKey"); return try await self.base.providerKey(id: id) }
    func updateProviderKey(id: UUID, _ update: ProviderKeyUpdate) async throws -> ProviderKey? {
        try await self.base.updateProviderKey(id: id, update)
    }
    func deleteProviderKey(id: UUID) async throws -> Bool { try await self.base.deleteProviderKey(id: id) }
    func seedPrimaryProviderKey(provider: String, secret: Secret) async throws -> ProviderKey {
        try await self.base.seedPrimaryProviderKey(provider: provider, secret: secret)
    }
    func createVirtualKey(_ draft: VirtualKeyDraft) async throws -> (key: VirtualKey, value: Secret) { try await self.base.createVirtualKey(draft) }
    func virtualKeys() async throws -> [VirtualKey] { try await self.base.virtualKeys() }
    func virtualKey(id: UUID) async throws -> VirtualKey? { try await self.base.virtualKey(id: id) }
    func updateVirtualKey(id: UUID, _ update: VirtualKeyUpdate) async throws -> VirtualKey? { try await self.base.updateVirtualKey(id: id, update) }
    func revokeVirtualKey(id: UUID) async throws -> Bool { try await self.base.revokeVirtualKey(id: id) }
    func virtualKeyCandidates(tokenStart: String) async throws -> [(key: VirtualKey, value: Secret)] {
        self.note("virtualKeyCandidates")
        return try await self.base.virtualKeyCandidates(tokenStart: tokenStart)
    }
    func recordVirtualKeyUse(id: UUID, at date: Date) async throws {
        self.note("recordVirtualKeyUse")
        try await self.base.recordVirtualKeyUse(id: id, at: date)
    }
    func createOAuthClient(_ draft: OAuthClientDraft) async throws -> (client: OAuthClient, secret: Secret) {
        try await self.base.createOAuthClient(draft)
    }
    func oauthClients() async throws -> [OAuthClient] { try await self.base.oauthClients() }
    func oauthClient(id: UUID) async throws -> OAuthClient? { self.note("oauthClient"); return try await self.base.oauthClient(id: id) }
    func updateOAuthClient(id: UUID, _ update: OAuthClientUpdate) async throws -> OAuthClient? { try await self.base.updateOAuthClient(id: id, update) }
    func revokeOAuthClient(id: UUID) async throws -> Bool { try await self.base.revokeOAuthClient(id: id) }
    func authenticateOAuthClient(clientID: String, secret: Secret) async throws -> OAuthClient? {
        self.note("authenticateOAuthClient")
        return try await self.base.authenticateOAuthClient(clientID: clientID, secret: secret)
    }
    func saveAccessToken(_ token: OAuthAccessToken) async throws { try await self.base.saveAccessToken(token) }
    func accessToken(hash: String) async throws -> OAuthAccessToken? { self.note("accessToken"); return try await self.base.accessToken(hash: hash) }
    func deleteAccessTokens(expiredBefore date: Date) async throws -> Int { try await self.base.deleteAccessTokens(expiredBefore: date) }
    func saveModelList(_ list: ModelList) async throws { try await self.base.saveModelList(list) }
    func modelLists() async throws -> [ModelList] { try await self.base.modelLists() }
    func insertInteractions(_ interactions: [Interaction]) async throws { try await self.base.insertInteractions(interactions) }
    func interactions(_ query: InteractionQuery) async throws -> [Interaction] { try await self.base.interactions(query) }
    func interaction(id: UUID) async throws -> Interaction? { try await self.base.interaction(id: id) }
    func deleteInteractions(startedBefore date: Date) async throws -> Int { try await self.base.deleteInteractions(startedBefore: date) }
    func createToolPolicy(_ draft: ToolPolicyDraft) async throws -> ToolPolicy { try await self.base.createToolPolicy(draft) }
    func toolPolicies() async throws -> [ToolPolicy] { self.note("toolPolicies"); return try await self.base.toolPolicies() }
    func toolPolicy(id: UUID) async throws -> ToolPolicy? { try await self.base.toolPolicy(id: id) }
    func deleteToolPolicy(id: UUID) async throws -> Bool { try await self.base.deleteToolPolicy(id: id) }
    func createOptimisationRule(_ draft: OptimisationRuleDraft) async throws -> OptimisationRule { try await self.base.createOptimisationRule(draft) }
    func optimisationRules() async throws -> [OptimisationRule] { self.note("optimisationRules"); return try await self.base.optimisationRules() }
    func optimisationRule(id: UUID) async throws -> OptimisationRule? { try await self.base.optimisationRule(id: id) }
    func setOptimisationRuleEnabled(id: UUID, enabled: Bool) async throws -> OptimisationRule? {
        try await self.base.setOptimisationRuleEnabled(id: id, enabled: enabled)
    }
    func deleteOptimisationRule(id: UUID) async throws -> Bool { try await self.base.deleteOptimisationRule(id: id) }
}
