package import Foundation
package import Logging
import ServiceLifecycle
import Synchronization

/// The hot path's view of prices, spending limits and spend: answered from memory, never by a
/// database read per request.
///
/// Definitions (administrators' prices and the limits) are reloaded when the store's revision
/// moves, as ``GatewayDirectory`` drops its caches: polled every `pollInterval` by `run()`, or at
/// once after ``invalidate()`` (the admin API in this process). Spend is added in memory the
/// moment a response ends (``record(nanoUSD:virtualKeyID:profileID:model:at:)``), so the next
/// check in this process sees it; `run()` adds it to the store's per-bucket totals every
/// `pollInterval` and reads back every process's totals in the same transaction, so spend made
/// by another replica reaches this one within about one interval, and a restart keeps it.
///
/// With a database that other serving processes share (``GatewayStore/isSharedByReplicas``), a
/// finished request's spend is written at once, and a request that a limit applies to reads the
/// shared totals before it is checked (syncs in flight are shared, so this is at most one database
/// round trip per sync, not per request). Across replicas a limit is then overshot by no more than
/// the requests in flight, as in one process; the price is that round trip on limited requests.
///
/// A failing database never fails a request: checks use what was last loaded, spend waits in
/// memory for the next successful sync (logged).
package final class CostLedger: Service, Sendable {
    private let store: any GatewayStore
    private let pollInterval: Duration
    private let sharedSpend: Bool
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var knownRevision: Int64?
        /// Counts invalidations. The definitions are current when `loadedGeneration` has caught
        /// up: a check waits for that, so a limit deleted here is never enforced again.
        var generation: UInt64 = 1
        var loadedGeneration: UInt64 = 0
        /// The one load in flight, shared by every check that arrives while it runs (an admin
        /// change under load is one store read, not one per waiting request).
        var loading: (generation: UInt64, task: Task<Void, Never>)?
        /// When the last load failed: checks then use what was last loaded rather than each
        /// waiting on a database that is down; `run()` keeps retrying.
        var lastLoadFailure: ContinuousClock.Instant?
        var prices = PriceTable()
        var limits: [SpendLimit] = []
        /// Every process's spend by limit and bucket start, as of the last sync.
        var stored: [UUID: [Int64: Int64]] = [:]
        /// Added here and being written by a sync.
        var syncing: [UUID: [Int64: Int64]] = [:]
        /// Added here since the last sync began.
        var pending: [UUID: [Int64: Int64]] = [:]
        var syncFailing = false
        /// The spend sync in flight: syncs run one at a time, or two would both send what is in
        /// `syncing` and the store would count it twice.
        var spendSync: Task<Void, Never>?
        /// Syncs started and finished (failed ones included): a caller waits for the first sync
        /// that starts after its call, and every caller waiting meanwhile shares that one.
        var syncsStarted: UInt64 = 0
        var syncsFinished: UInt64 = 0

        /// At most 61 buckets per limit in each of the three maps: integer work only.
        func spent(on limit: SpendLimit, at now: Date) -> Int64 {
            let counted = limit.window.countedBuckets(at: now)
            var total: Int64 = 0
            for source in [self.stored, self.syncing, self.pending] {
                guard let buckets = source[limit.id] else { continue }
                for (bucket, nano) in buckets where counted.contains(bucket) { total += nano }
            }
            return total
        }
    }

    /// How far back buckets are kept: the longest window (a calendar month) and one more bucket.
    static let retention: TimeInterval = 32 * 86_400

    package init(store: any GatewayStore, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.pollInterval = pollInterval
        self.sharedSpend = store.isSharedByReplicas
        self.logger = logger
    }

    // MARK: Service

    /// Polls the revision and syncs spend until graceful shutdown; then writes what is pending.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                do { try await Task.sleep(for: self.pollInterval) } catch { break }
            }
        }
        await self.syncSpend()
    }

    /// Reloads the definitions when the revision moved, then syncs spend.
    package func refresh() async {
        if let revision = try? await self.store.revision() {
            let moved = self.state.withLock { state in
                defer { state.knownRevision = revision }
                return state.knownRevision != revision
            }
            if moved { self.invalidate() }
        }
        await self.loadDefinitionsIfStale(afterFailure: true)
        await self.syncSpend()
    }

    /// Definitions changed in this process: reload them before the next check.
    package func invalidate() {
        self.state.withLock { $0.generation += 1 }
    }

    /// Returns once the definitions reflect every invalidation made before the call, by joining
    /// the load in flight or starting one. A load overtaken by a later invalidation does not
    /// count (what it read may predate the change), hence the loop; it is bounded so that a
    /// stream of changes cannot hold a request, which then uses what was last loaded.
    ///
    /// - Parameter afterFailure: whether to try even though the last load failed less than one
    ///   poll interval ago (the poll does; requests do not).
    private func loadDefinitionsIfStale(afterFailure: Bool = false) async {
        for _ in 0..<3 {
            let now = ContinuousClock.now
            let load: Task<Void, Never>? = self.state.withLock { state in
                guard state.loadedGeneration != state.generation else { return nil }
                if let loading = state.loading, loading.generation == state.generation { return loading.task }
                if !afterFailure, let failed = state.lastLoadFailure, now - failed < self.pollInterval { return nil }
                let generation = state.generation
                let task = Task { await self.loadDefinitions(generation: generation) }
                state.loading = (generation, task)
                return task
            }
            guard let load else { return }
            await load.value
        }
    }

    private func loadDefinitions(generation: UInt64) async {
        do {
            let overrides = try await self.store.modelPrices()
            let limits = try await self.store.spendLimits()
            self.state.withLock { state in
                if state.loading?.generation == generation { state.loading = nil }
                state.lastLoadFailure = nil
                // A later load may have finished first: never replace newer definitions.
                guard generation > state.loadedGeneration else { return }
                state.prices = PriceTable(overrides: overrides)
                state.limits = limits.sorted { Self.rank($0.entity) < Self.rank($1.entity) }
                state.loadedGeneration = generation
            }
        } catch {
            self.state.withLock { state in
                if state.loading?.generation == generation { state.loading = nil }
                state.lastLoadFailure = .now
            }
            self.logger.warning("could not load model prices and spending limits", metadata: ["archestra.error": "\(error)"])
        }
    }

    /// Writes this process's spend recorded before the call and reads every process's totals:
    /// after the sync in flight, if any, which may have taken its deltas before the latest.
    private func syncSpend() async {
        // The sync in flight may have read before this call: the next one to start is the first
        // that counts.
        let needed = self.state.withLock { $0.syncsStarted + 1 }
        while true {
            let sync: Task<Void, Never>? = self.state.withLock { state in
                guard state.syncsFinished < needed else { return nil }
                if let running = state.spendSync { return running }
                state.syncsStarted += 1
                let sync = Task { await self.writeSpend() }
                state.spendSync = sync
                return sync
            }
            guard let sync else { return }
            await sync.value
        }
    }

    private func writeSpend() async {
        defer {
            self.state.withLock { state in
                state.spendSync = nil
                state.syncsFinished += 1
            }
        }
        let deltas: [LimitSpend] = self.state.withLock { state in
            for (limitID, buckets) in state.pending {
                for (bucket, nano) in buckets { state.syncing[limitID, default: [:]][bucket, default: 0] += nano }
            }
            state.pending = [:]
            return state.syncing.flatMap { limitID, buckets in buckets.map { LimitSpend(limitID: limitID, bucket: $0.key, nanoUSD: $0.value) } }
        }
        let oldest = LimitWindow.rollingHour.bucketStart(containing: Date().addingTimeInterval(-Self.retention))
        do {
            let totals = try await self.store.addLimitSpend(deltas, oldestBucket: oldest)
            let recovered = self.state.withLock { state in
                var stored: [UUID: [Int64: Int64]] = [:]
                for total in totals { stored[total.limitID, default: [:]][total.bucket, default: 0] += total.nanoUSD }
                state.stored = stored
                state.syncing = [:]
                defer { state.syncFailing = false }
                return state.syncFailing
            }
            if recovered { self.logger.info("spend sync recovered") }
        } catch {
            // The deltas stay in `syncing` and go with the next attempt.
            let first = self.state.withLock { state in
                defer { state.syncFailing = true }
                return !state.syncFailing
            }
            self.logger.log(level: first ? .warning : .debug, "could not save spend", metadata: ["archestra.error": "\(error)"])
        }
    }

    // MARK: Hot path

    /// The prices in force: memory, after one load when definitions changed.
    package func priceTable() async -> PriceTable {
        await self.loadDefinitionsIfStale()
        return self.state.withLock { $0.prices }
    }

    /// The prices in force, from memory only: for the pricing step, which must not suspend.
    package var currentPriceTable: PriceTable {
        self.state.withLock { $0.prices }
    }

    /// The first limit the request is over, in GATEWAY.md's order (virtual key, then profile or
    /// LLM proxy, then organisation): a limit is reached once its window's spend is at least its
    /// amount. Requests already running are not counted, so concurrent requests near a limit can
    /// overshoot it by at most their own cost (see docs/cost-and-limits.md).
    package func breach(virtualKeyID: UUID?, profileID: UUID?, model: String?, at now: Date = Date()) async -> LimitBreach? {
        await self.loadDefinitionsIfStale()
        if self.sharedSpend {
            let limited = self.state.withLock { state in
                // While the database fails, memory answers at once (the poll keeps retrying).
                !state.syncFailing && state.limits.contains { $0.applies(virtualKeyID: virtualKeyID, profileID: profileID, model: model) }
            }
            // Other replicas' finished requests count now, not at the next poll.
            if limited { await self.syncSpend() }
        }
        return self.state.withLock { state -> LimitBreach? in
            // `limits` is kept in check order (see `loadDefinitionsIfStale`).
            for limit in state.limits where limit.applies(virtualKeyID: virtualKeyID, profileID: profileID, model: model) {
                let spent = NanoUSD.usd(state.spent(on: limit, at: now))
                if spent >= limit.usd { return LimitBreach(limit: limit, spent: spent) }
            }
            return nil
        }
    }

    /// Adds a finished request's cost to every limit it counts for. Never suspends.
    package func record(nanoUSD: Int64, virtualKeyID: UUID?, profileID: UUID?, model: String?, at date: Date = Date()) {
        guard nanoUSD > 0 else { return }
        let counted = self.state.withLock { state in
            var counted = false
            for limit in state.limits where limit.applies(virtualKeyID: virtualKeyID, profileID: profileID, model: model) {
                state.pending[limit.id, default: [:]][limit.window.bucketStart(containing: date), default: 0] += nanoUSD
                counted = true
            }
            return counted
        }
        // Other replicas see it at their next check. Completions meanwhile share one sync.
        if counted && self.sharedSpend { Task { await self.syncSpend() } }
    }

    /// What `limit` has counted in its current window, every process's spend as of the last sync
    /// plus this process's since.
    package func spent(on limit: SpendLimit, at now: Date = Date()) -> Decimal {
        self.state.withLock { NanoUSD.usd($0.spent(on: limit, at: now)) }
    }

    /// Reads the store's totals now (for `list` right after requests ended, and for tests).
    package func syncNow() async {
        await self.loadDefinitionsIfStale()
        await self.syncSpend()
    }

    private static func rank(_ entity: SpendLimit.Entity) -> Int {
        switch entity {
        case .virtualKey: return 0
        case .profile: return 1
        case .organization: return 2
        }
    }
}

/// A limit a request may not pass, with what its window has spent.
package struct LimitBreach: Sendable, Hashable {
    package var limit: SpendLimit
    package var spent: Decimal
}
