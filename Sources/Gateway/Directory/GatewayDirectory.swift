package import Foundation
package import Logging
import ServiceLifecycle
import Synchronization
package import WireFormats

/// The hot path's view of the gateway's state: profiles, provider keys and credentials, cached so
/// that a request presenting an unchanged credential never waits on the database.
///
/// Hits are answered under a mutex without suspending on I/O; a miss reads the store once and
/// caches what it found (never an absence, so a key created elsewhere is seen at once). Each
/// cache holds at most `capacity` entries.
///
/// Other processes (the CLI, another replica) change the store behind our back, so, as a
/// `Service`, the directory polls ``GatewayStore/revision()`` every `pollInterval` and drops every
/// cached entry when it moved: a change made anywhere reaches this process within about one
/// interval. Within the process, ``invalidate()`` drops them at once.
///
/// `run()` also performs the `lastUsedAt` writes that ``authenticateVirtualKey(_:now:)`` queues,
/// so requests never wait for them; without a running directory they stay queued (bounded).
package final class GatewayDirectory: Service, Sendable {
    private let store: any GatewayStore
    private let pollInterval: Duration
    private let logger: Logger
    private let state: Mutex<State>
    private let uses: AsyncStream<VirtualKeyUse>
    private let usesContinuation: AsyncStream<VirtualKeyUse>.Continuation

    /// At most one `lastUsedAt` write per key per this interval, as Archestra throttles it.
    static let useRecordingInterval: TimeInterval = 60

    private struct State {
        /// Moves whenever the caches are dropped. A miss that started reading the store before
        /// a drop must not cache what it read: it may predate the change that caused the drop.
        var generation: UInt64 = 0
        var knownRevision: Int64?
        var pollFailing = false
        var defaultProfile: Profile?
        var profiles: BoundedCache<UUID, Profile>
        var providerKeys: BoundedCache<UUID, ProviderKey>
        var primaryProviderKeys: BoundedCache<String, ProviderKey>
        /// By token start: every key sharing those 14 characters, with its value.
        var virtualKeys: BoundedCache<String, [VirtualKeyCandidate]>
        /// By token hash.
        var accessTokens: BoundedCache<String, AccessTokenEntry>
        var lastRecordedUse: [UUID: Date] = [:]
        /// Every tool policy, read at the first request after a drop.
        var toolPolicies: [ToolPolicy]?
        /// By profile id, built from ``toolPolicies``.
        var toolPolicySets: BoundedCache<UUID, ToolPolicySet>
        /// Every enabled optimisation rule, read at the first request after a drop.
        var optimisationRules: OptimisationRuleSet?

        init(capacity: Int) {
            self.profiles = BoundedCache(capacity: capacity)
            self.providerKeys = BoundedCache(capacity: capacity)
            self.primaryProviderKeys = BoundedCache(capacity: capacity)
            self.virtualKeys = BoundedCache(capacity: capacity)
            self.accessTokens = BoundedCache(capacity: capacity)
            self.toolPolicySets = BoundedCache(capacity: capacity)
        }

        mutating func dropCaches() {
            self.generation &+= 1
            self.defaultProfile = nil
            self.profiles.removeAll()
            self.providerKeys.removeAll()
            self.primaryProviderKeys.removeAll()
            self.virtualKeys.removeAll()
            self.accessTokens.removeAll()
            self.toolPolicies = nil
            self.toolPolicySets.removeAll()
            self.optimisationRules = nil
        }
    }

    private struct VirtualKeyCandidate: Sendable {
        var key: VirtualKey
        var value: Secret
    }

    private struct AccessTokenEntry: Sendable {
        var token: OAuthAccessToken
        var client: OAuthClient
    }

    private struct VirtualKeyUse: Sendable {
        var id: UUID
        var date: Date
    }

    private let capacity: Int

    /// - Parameters:
    ///   - capacity: the most entries each cache holds, and the most queued `lastUsedAt` writes.
    ///   - pollInterval: how often `run()` compares the store's revision.
    package init(store: any GatewayStore, capacity: Int = 10_000, pollInterval: Duration = .milliseconds(250), logger: Logger) {
        self.store = store
        self.capacity = max(1, capacity)
        self.pollInterval = pollInterval
        self.logger = logger
        self.state = Mutex(State(capacity: max(1, capacity)))
        (self.uses, self.usesContinuation) = AsyncStream.makeStream(of: VirtualKeyUse.self, bufferingPolicy: .bufferingNewest(max(1, capacity)))
    }

    // MARK: Service

    /// Polls the revision and records virtual key uses until cancelled or graceful shutdown,
    /// after which it finishes the use writes already queued and returns.
    package func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await self.recordQueuedUses()
            }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await self.pollRevision()
                }
                self.usesContinuation.finish()
            }
        }
    }

    private func pollRevision() async {
        while !Task.isCancelled {
            await self.refreshIfChanged()
            do {
                try await Task.sleep(for: self.pollInterval)
            } catch {
                return
            }
        }
    }

    /// Compares the store's revision with the last one seen and drops every cached entry when it
    /// moved (or was never seen). Failures are logged, not thrown: the next poll retries, and
    /// meanwhile cached entries keep serving.
    package func refreshIfChanged() async {
        do {
            let revision = try await self.store.revision()
            let (changed, recovered) = self.state.withLock { state in
                let recovered = state.pollFailing
                state.pollFailing = false
                guard state.knownRevision != revision else { return (false, recovered) }
                state.knownRevision = revision
                state.dropCaches()
                return (true, recovered)
            }
            if recovered {
                self.logger.info("gateway revision poll recovered")
            }
            if changed {
                self.logger.debug("gateway state changed; cached entries dropped", metadata: ["archestra.gateway.revision": "\(revision)"])
            }
        } catch {
            if Task.isCancelled { return }
            // The first failure of a streak is a warning; the rest, every poll, would flood the log.
            let first = self.state.withLock { state in
                defer { state.pollFailing = true }
                return !state.pollFailing
            }
            self.logger.log(level: first ? .warning : .debug, "gateway revision poll failed", metadata: ["archestra.error": "\(error)"])
        }
    }

    /// Drops every cached entry now: for a write made through the store by this process, which
    /// should not wait for the next poll.
    package func invalidate() {
        self.state.withLock { $0.dropCaches() }
    }

    private func recordQueuedUses() async {
        for await use in self.uses {
            do {
                try await self.store.recordVirtualKeyUse(id: use.id, at: use.date)
            } catch {
                self.logger.warning(
                    "could not record a virtual key's use",
                    metadata: ["archestra.virtual_key.id": "\(use.id)", "archestra.error": "\(error)"]
                )
            }
        }
    }

    // MARK: Profiles and provider keys

    package func defaultProfile() async throws -> Profile {
        let (cached, generation) = self.state.withLock { ($0.defaultProfile, $0.generation) }
        if let cached { return cached }
        let profile = try await self.store.defaultProfile()
        self.state.withLock { state in
            if state.generation == generation { state.defaultProfile = profile }
        }
        return profile
    }

    package func profile(id: UUID) async throws -> Profile? {
        try await self.lookUp(\.profiles, id) {
            try await self.store.profile(id: id)
        }
    }

    package func providerKey(id: UUID) async throws -> ProviderKey? {
        try await self.lookUp(\.providerKeys, id) {
            try await self.store.providerKey(id: id)
        }
    }

    /// Every stored model list, read from the store each time: `/models` is not on the hot path,
    /// and a list must show a sync the moment it lands.
    package func modelLists() async throws -> [ModelList] {
        try await self.store.modelLists()
    }

    package func primaryProviderKey(provider: String) async throws -> ProviderKey? {
        try await self.lookUp(\.primaryProviderKeys, provider) {
            try await self.store.providerKeys().first { $0.provider == provider && $0.isPrimary }
        }
    }

    // MARK: Tool policies

    /// The tool policies applying to `profileID` (its own, then the organisation's), read from
    /// the store once per revision and indexed once per profile.
    package func toolPolicies(profileID: UUID) async throws -> ToolPolicySet {
        let (set, all, generation) = self.state.withLock { state in
            (state.toolPolicySets.value(forKey: profileID), state.toolPolicies, state.generation)
        }
        if let set { return set }
        let policies: [ToolPolicy]
        if let all {
            policies = all
        } else {
            policies = try await self.store.toolPolicies()
        }
        let built = ToolPolicySet(policies: policies, profileID: profileID)
        self.state.withLock { state in
            guard state.generation == generation else { return }
            state.toolPolicies = policies
            state.toolPolicySets.insert(built, forKey: profileID)
        }
        return built
    }

    // MARK: Optimisation rules

    /// The enabled optimisation rules, read from the store once per revision.
    package func optimisationRules() async throws -> OptimisationRuleSet {
        let (cached, generation) = self.state.withLock { state in (state.optimisationRules, state.generation) }
        if let cached { return cached }
        let built = OptimisationRuleSet(rules: try await self.store.optimisationRules())
        self.state.withLock { state in
            guard state.generation == generation else { return }
            state.optimisationRules = built
        }
        return built
    }

    // MARK: Virtual keys

    /// Looks `value` up by its token start and compares it in constant time.
    ///
    /// A malformed value is `.unknown` without a store read. On `.valid`, queues a `lastUsedAt`
    /// write for `run()` (at most once a minute per key) and returns without waiting for it.
    ///
    /// - Throws: the store's errors on a miss.
    package func authenticateVirtualKey(_ value: String, now: Date) async throws -> VirtualKeyAuthentication {
        guard VirtualKeyValue.isWellFormed(value) else { return .unknown }
        let tokenStart = String(value.prefix(VirtualKeyValue.tokenStartLength))
        let candidates = try await self.lookUp(\.virtualKeys, tokenStart) {
            let found = try await self.store.virtualKeyCandidates(tokenStart: tokenStart)
            return found.isEmpty ? nil : found.map { VirtualKeyCandidate(key: $0.key, value: $0.value) }
        }
        var match: VirtualKey?
        // Every candidate is compared, not just up to the first match.
        for candidate in candidates ?? [] where ConstantTimeComparison.areEqual(value, candidate.value.exposedValue) {
            match = candidate.key
        }
        guard let key = match else { return .unknown }
        if key.revokedAt != nil { return .revoked(key) }
        if let expiresAt = key.expiresAt, expiresAt <= now { return .expired(key) }
        self.queueUse(of: key, at: now)
        return .valid(key)
    }

    private func queueUse(of key: VirtualKey, at now: Date) {
        let due = self.state.withLock { state in
            let last = [state.lastRecordedUse[key.id], key.lastUsedAt].compactMap { $0 }.max()
            if let last, now.timeIntervalSince(last) < Self.useRecordingInterval {
                return false
            }
            // Bounded like the caches; forgetting only allows an extra write per key.
            if state.lastRecordedUse.count >= self.capacity {
                state.lastRecordedUse.removeAll(keepingCapacity: true)
            }
            state.lastRecordedUse[key.id] = now
            return true
        }
        if due {
            self.usesContinuation.yield(VirtualKeyUse(id: key.id, date: now))
        }
    }

    // MARK: OAuth access tokens

    /// Looks a bearer token up by its SHA-256. A malformed value is `.unknown` without a store read.
    package func authenticateAccessToken(_ value: String, now: Date) async throws -> AccessTokenAuthentication {
        guard OAuthAccessTokenValue.isWellFormed(value) else { return .unknown }
        let hash = OAuthAccessTokenValue.hash(of: value)
        let entry = try await self.lookUp(\.accessTokens, hash) { () async throws -> AccessTokenEntry? in
            guard let token = try await self.store.accessToken(hash: hash),
                let client = try await self.store.oauthClient(id: token.clientID)
            else { return nil }
            return AccessTokenEntry(token: token, client: client)
        }
        guard let entry, entry.client.revokedAt == nil else { return .unknown }
        guard entry.token.expiresAt > now else { return .expired }
        return .valid(entry.token, entry.client)
    }

    /// The client-credentials grant: checks the client's secret (bcrypt, off the cooperative
    /// pool) and issues a token whose hash only is stored.
    ///
    /// - Returns: `nil` for an unknown or revoked client or a wrong secret.
    /// - Throws: the store's errors.
    package func issueAccessToken(
        clientID: String, secret: Secret, scope: String, lifetime: Duration = .seconds(3600), now: Date
    ) async throws -> IssuedAccessToken? {
        guard let client = try await self.store.authenticateOAuthClient(clientID: clientID, secret: secret) else { return nil }
        let token = OAuthAccessTokenValue.generate()
        let seconds = Int(lifetime.components.seconds)
        let expiresAt = now.addingTimeInterval(TimeInterval(seconds))
        do {
            try await self.store.saveAccessToken(
                OAuthAccessToken(tokenHash: token.hash, clientID: client.id, scope: scope, expiresAt: expiresAt, createdAt: now)
            )
        } catch GatewayStoreError.invalid {
            // Revoked between the secret check and the save.
            return nil
        }
        return IssuedAccessToken(value: token.secret, expiresIn: seconds, expiresAt: expiresAt, scope: scope)
    }

    // MARK: Caching

    private func lookUp<Key: Hashable & Sendable, Value: Sendable>(
        _ cache: any WritableKeyPath<State, BoundedCache<Key, Value>> & Sendable,
        _ key: Key,
        fetch: () async throws -> Value?
    ) async throws -> Value? {
        let (hit, generation) = self.state.withLock { state in
            (state[keyPath: cache].value(forKey: key), state.generation)
        }
        if let hit { return hit }
        guard let fetched = try await fetch() else { return nil }
        self.state.withLock { state in
            if state.generation == generation {
                state[keyPath: cache].insert(fetched, forKey: key)
            }
        }
        return fetched
    }
}
