package import Foundation
package import WireFormats

/// Where the gateway's state lives: profiles, provider keys, virtual keys, OAuth clients and
/// their tokens.
///
/// No engine's types appear here: SQLite (``SQLiteGatewayStore``, the embedded default) and
/// PostgreSQL (``PostgresGatewayStore``, shared by replicas) both implement it, and nothing may assume that one
/// process owns the data — another process (the CLI, another replica) may change it at any time,
/// which ``revision()`` reveals.
///
/// Secrets go in as ``Secret``s and are encrypted at rest; OAuth client secrets and access tokens
/// are stored as hashes only. Errors are ``GatewayStoreError``s, whose descriptions carry no
/// secret and no bound SQL argument.
package protocol GatewayStore: Sendable {
    /// Increases with every administrative change (create, update, delete, revoke) by any
    /// process; usage bookkeeping (``recordVirtualKeyUse(id:at:)``, token issuance) leaves it
    /// alone. Caches compare it to know when to drop what they hold.
    func revision() async throws -> Int64
    /// Whether other serving processes may use this database at once (PostgreSQL replicas), so
    /// that spend against a limit must be read from it rather than from memory. A SQLite file is
    /// one `archestra serve`'s; the CLI beside it changes definitions, never spend.
    var isSharedByReplicas: Bool { get }

    // MARK: Profiles and LLM proxies

    /// The profile serving routes without an id; created by the first migration.
    func defaultProfile() async throws -> Profile
    func createProfile(_ draft: ProfileDraft) async throws -> Profile
    /// All profiles of `kind` (all kinds when `nil`), oldest first.
    func profiles(kind: ProfileKind?) async throws -> [Profile]
    func profile(id: UUID) async throws -> Profile?
    /// `nil` when no such profile exists.
    func updateProfile(id: UUID, _ update: ProfileUpdate) async throws -> Profile?
    /// `false` when no such profile exists; throws ``GatewayStoreError/conflict(_:)`` for the default profile.
    func deleteProfile(id: UUID) async throws -> Bool

    // MARK: Provider keys

    /// Throws ``GatewayStoreError/invalid(_:)`` for an unknown provider name is *not* checked
    /// here (the store does not know the catalog); callers validate the provider first.
    func createProviderKey(_ draft: ProviderKeyDraft) async throws -> ProviderKey
    func providerKeys() async throws -> [ProviderKey]
    func providerKey(id: UUID) async throws -> ProviderKey?
    func updateProviderKey(id: UUID, _ update: ProviderKeyUpdate) async throws -> ProviderKey?
    /// Also removes the key from every virtual key and OAuth client mapping it.
    func deleteProviderKey(id: UUID) async throws -> Bool
    /// Start-up seeding from `ARCHESTRA_CHAT_<P>_API_KEY`: creates the provider's primary key, or
    /// updates its value when it changed. Bumps the revision only when something changed.
    @discardableResult
    func seedPrimaryProviderKey(provider: String, secret: Secret) async throws -> ProviderKey

    // MARK: Virtual keys

    /// Generates the value (``VirtualKeyValue``) and returns it beside the stored key: the only
    /// time it is ever returned. Throws ``GatewayStoreError/invalid(_:)`` when a provider key does
    /// not exist or two map the same provider.
    func createVirtualKey(_ draft: VirtualKeyDraft) async throws -> (key: VirtualKey, value: Secret)
    func virtualKeys() async throws -> [VirtualKey]
    func virtualKey(id: UUID) async throws -> VirtualKey?
    func updateVirtualKey(id: UUID, _ update: VirtualKeyUpdate) async throws -> VirtualKey?
    /// Revoked keys stay listed with `revokedAt` set. `false` when no such key exists.
    func revokeVirtualKey(id: UUID) async throws -> Bool
    /// Keys whose value starts with `tokenStart`, with their decrypted values, for the
    /// authenticator's constant-time comparison. Revoked and expired keys are included: the
    /// authenticator tells "expired" from "invalid".
    func virtualKeyCandidates(tokenStart: String) async throws -> [(key: VirtualKey, value: Secret)]
    /// Sets `lastUsedAt`; callers throttle it (at most once a minute per key).
    func recordVirtualKeyUse(id: UUID, at date: Date) async throws

    // MARK: OAuth clients and access tokens

    /// Generates `client_id` and the secret, stores the secret's bcrypt hash, returns the secret
    /// once.
    func createOAuthClient(_ draft: OAuthClientDraft) async throws -> (client: OAuthClient, secret: Secret)
    func oauthClients() async throws -> [OAuthClient]
    func oauthClient(id: UUID) async throws -> OAuthClient?
    func updateOAuthClient(id: UUID, _ update: OAuthClientUpdate) async throws -> OAuthClient?
    /// Also deletes its access tokens. `false` when no such client exists.
    func revokeOAuthClient(id: UUID) async throws -> Bool
    /// The client with this `client_id` when `secret` matches its hash (bcrypt, constant time);
    /// `nil` for an unknown client, a wrong secret or a revoked client.
    func authenticateOAuthClient(clientID: String, secret: Secret) async throws -> OAuthClient?
    /// Stores the hash of a newly issued token.
    func saveAccessToken(_ token: OAuthAccessToken) async throws
    /// The token with this hash, expired ones included (the authenticator reports expiry).
    func accessToken(hash: String) async throws -> OAuthAccessToken?
    /// Housekeeping: removes tokens that expired before `date`. Returns how many.
    @discardableResult
    func deleteAccessTokens(expiredBefore date: Date) async throws -> Int

    // MARK: Model lists (the model router's `/models`)

    /// Replaces the stored list of `list.source`; does not bump the revision.
    func saveModelList(_ list: ModelList) async throws
    func modelLists() async throws -> [ModelList]

    // MARK: Interaction log

    /// Writes one batch in one transaction, assigning each row its ``Interaction/sequence``.
    /// Does not bump the revision: the log is not administrative state.
    func insertInteractions(_ interactions: [Interaction]) async throws
    /// Rows matching `query`, in its order, at most `query.limit`.
    func interactions(_ query: InteractionQuery) async throws -> [Interaction]
    /// One row with its bodies; `nil` when no such row exists (or it was pruned).
    func interaction(id: UUID) async throws -> Interaction?
    /// Retention: removes rows of requests that started before `date`. Returns how many.
    @discardableResult
    func deleteInteractions(startedBefore date: Date) async throws -> Int

    // MARK: Tool policies (tool-invocation and trusted-data)

    /// Throws ``GatewayStoreError/invalid(_:)`` for a draft with a ``ToolPolicyDraft/problem``
    /// or an unknown profile.
    func createToolPolicy(_ draft: ToolPolicyDraft) async throws -> ToolPolicy
    /// Every policy, organisation defaults and every profile's, oldest first.
    func toolPolicies() async throws -> [ToolPolicy]
    func toolPolicy(id: UUID) async throws -> ToolPolicy?
    /// `false` when no such policy exists.
    func deleteToolPolicy(id: UUID) async throws -> Bool

    // MARK: Cost: model prices, spending limits and their spend

    /// Administrators' prices, by model.
    func modelPrices() async throws -> [ModelPriceOverride]
    /// Creates or replaces the price of `override.model`; bumps the revision.
    func setModelPrice(_ override: ModelPriceOverride) async throws
    /// `false` when the model had no override.
    func deleteModelPrice(model: String) async throws -> Bool
    /// Throws ``GatewayStoreError/invalid(_:)`` when the virtual key or profile does not exist.
    func createSpendLimit(_ draft: SpendLimitDraft) async throws -> SpendLimit
    func spendLimits() async throws -> [SpendLimit]
    /// Also deletes its spend. `false` when no such limit exists.
    func deleteSpendLimit(id: UUID) async throws -> Bool
    /// Adds `deltas` to their buckets, drops buckets older than `oldestBucket`, and returns every
    /// bucket left, in one transaction: what every process has spent, this one's additions
    /// included. Not an admin change: the revision stays.
    func addLimitSpend(_ deltas: [LimitSpend], oldestBucket: Int64) async throws -> [LimitSpend]

    // MARK: Optimisation rules

    /// Throws ``GatewayStoreError/invalid(_:)`` for a draft with a ``OptimisationRuleDraft/problem``.
    func createOptimisationRule(_ draft: OptimisationRuleDraft) async throws -> OptimisationRule
    /// Every rule, enabled or not, oldest first.
    func optimisationRules() async throws -> [OptimisationRule]
    func optimisationRule(id: UUID) async throws -> OptimisationRule?
    /// The rule as it now is; `nil` when no such rule exists.
    func setOptimisationRuleEnabled(id: UUID, enabled: Bool) async throws -> OptimisationRule?
    /// `false` when no such rule exists.
    func deleteOptimisationRule(id: UUID) async throws -> Bool
}

/// A store failure. Descriptions name the entity and the problem, never a value.
package enum GatewayStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input cannot be stored (unknown provider key id, two keys for one provider, bad URL).
    case invalid(String)
    /// The change contradicts the stored state (deleting the default profile).
    case conflict(String)
    /// The database was written by a newer archestra.
    case newerSchema(found: Int, supported: Int)
    /// The database URL cannot be used.
    case unsupportedDatabaseURL(String)
    /// Stored ciphertext cannot be decrypted with the configured secret key.
    case undecryptableSecret(String)
    /// The engine failed; the message carries the engine's code, no SQL arguments.
    case engine(String)
    /// The database cannot be reached, or did not answer in time; retrying later may succeed.
    case unavailable(String)

    package var description: String {
        switch self {
        case .invalid(let message): return message
        case .conflict(let message): return message
        case .newerSchema(let found, let supported):
            return "the database was written by a newer archestra (schema version \(found); this build knows up to \(supported)); upgrade archestra or point ARCHESTRA_DATABASE_URL elsewhere"
        case .unsupportedDatabaseURL(let message): return message
        case .undecryptableSecret(let message): return message
        case .engine(let message): return message
        case .unavailable(let message): return message
        }
    }
}
