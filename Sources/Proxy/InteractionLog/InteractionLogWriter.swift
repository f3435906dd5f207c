package import Foundation
package import Gateway
package import Logging
package import Metrics
import ServiceLifecycle
import Synchronization

/// The interaction log (GATEWAY.md §6): every proxied request's record, written to the store in
/// batches, off the request path.
///
/// Two halves in one type. As a ``RequestRecordSink`` it takes a record on the request's own
/// task and only appends it to a bounded buffer under a lock, never waiting for anything: when
/// the buffer is full the record is dropped and counted (`archestra_interaction_records_dropped_total`).
/// As a `Service` it wakes every ``InteractionLogSettings/flushInterval``, takes what is queued,
/// turns it into rows (scrubbing bodies when they were captured) and inserts them in
/// transactions of at most ``InteractionLogSettings/batchSize``. A batch the store refuses is
/// dropped and counted the same way: a slow or failing database never slows or fails a request,
/// and never grows memory beyond the buffer. Drops and failures are logged at most once per
/// ``warningInterval``. It also prunes rows past the retention.
///
/// `run()` returns once ``finish()`` has been called (after the server has drained) and what was
/// queued has been written, so a graceful shutdown loses nothing that reached the buffer.
package final class InteractionLogWriter: RequestRecordSink, Service, CustomStringConvertible {
    private struct Pending: Sendable {
        var record: RequestLogRecord
        /// Measured when the response ended, not when the row is written.
        var total: Duration
        /// Bytes of captured bodies this record holds.
        var bodyBytes: Int
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        /// Bytes of captured bodies waiting in ``queue``.
        var queuedBodyBytes = 0
        var finished = false
        /// Dropped since the last warning, and in all.
        var droppedSinceWarning = 0
        var droppedTotal = 0
    }

    private let store: any InteractionLogStorage
    private let settings: InteractionLogSettings
    private let logger: Logger
    private let droppedCounter: Counter
    private let scrubber: InteractionBodyScrubber
    private let state = Mutex(State())
    /// The least time between two warnings about drops or store failures.
    private let warningInterval: Duration
    /// Most bytes of captured bodies held in the buffer at once: with bodies on, a record may hold
    /// twice ``InteractionLogSettings/bodyLimitBytes``, and the buffer's record count alone would
    /// let a stalled database pin gigabytes.
    static let maximumQueuedBodyBytes = 64 * 1024 * 1024

    package var description: String { "InteractionLogWriter" }

    /// Writes to the gateway's store.
    package convenience init(
        store: any GatewayStore,
        settings: InteractionLogSettings,
        logger: Logger,
        droppedCounter: Counter = Counter(label: "archestra_interaction_records_dropped_total")
    ) {
        self.init(storage: GatewayInteractionStorage(store: store), settings: settings, logger: logger, droppedCounter: droppedCounter)
    }

    /// - Parameter droppedCounter: counts records lost to a full buffer or a failed write; the
    ///   default reports to whatever metrics backend the process bootstrapped.
    package init(
        storage: any InteractionLogStorage,
        settings: InteractionLogSettings,
        logger: Logger,
        droppedCounter: Counter = Counter(label: "archestra_interaction_records_dropped_total"),
        warningInterval: Duration = .seconds(60)
    ) {
        self.store = storage
        self.settings = settings
        self.logger = logger
        self.droppedCounter = droppedCounter
        self.scrubber = InteractionBodyScrubber()
        self.warningInterval = warningInterval
    }

    /// Records lost so far (a full buffer or a failed write), for tests and the shutdown line.
    package var droppedRecords: Int { self.state.withLock { $0.droppedTotal } }

    /// Records waiting to be written.
    package var queuedRecords: Int { self.state.withLock { $0.queue.count } }

    // MARK: The request path

    package func requestEnded(_ record: RequestLogRecord) {
        let bodyBytes = record.capturedBodies?.byteCount ?? 0
        let pending = Pending(record: record, total: record.elapsed, bodyBytes: bodyBytes)
        let accepted = self.state.withLock { state -> Bool in
            guard state.queue.count < self.settings.bufferCapacity, state.queuedBodyBytes + bodyBytes <= Self.maximumQueuedBodyBytes else {
                state.droppedSinceWarning += 1
                state.droppedTotal += 1
                return false
            }
            state.queue.append(pending)
            state.queuedBodyBytes += bodyBytes
            return true
        }
        if !accepted { self.droppedCounter.increment() }
    }

    // MARK: The writer

    /// No more records will come (the server has drained): write what is queued and return.
    package func finish() {
        self.state.withLock { $0.finished = true }
    }

    package func run() async {
        var lastWarning: ContinuousClock.Instant?
        var nextPrune = ContinuousClock.now
        while true {
            let (batch, finished) = self.state.withLock { state in
                let batch = state.queue
                state.queue.removeAll(keepingCapacity: true)
                state.queuedBodyBytes = 0
                return (batch, state.finished)
            }
            await self.write(batch, lastWarning: &lastWarning)
            if finished || Task.isCancelled { break }
            if let days = self.settings.retentionDays, ContinuousClock.now >= nextPrune {
                await self.prune(olderThanDays: days, lastWarning: &lastWarning)
                nextPrune = .now + self.settings.pruneInterval
            }
            self.warnAboutDrops(lastWarning: &lastWarning)
            try? await Task.sleep(for: self.settings.flushInterval)
        }
        // Cancelled (a forced shutdown): what arrived meanwhile is written once more, best effort.
        let rest = self.state.withLock { state in
            defer {
                state.queue.removeAll()
                state.queuedBodyBytes = 0
            }
            return state.queue
        }
        await self.write(rest, lastWarning: &lastWarning)
        let dropped = self.droppedRecords
        if dropped > 0 {
            self.logger.notice("interaction log stopped", metadata: ["records_dropped": .stringConvertible(dropped)])
        }
    }

    private func write(_ pending: [Pending], lastWarning: inout ContinuousClock.Instant?) async {
        guard !pending.isEmpty else { return }
        var start = pending.startIndex
        while start < pending.endIndex {
            let end = min(start + self.settings.batchSize, pending.endIndex)
            let rows = pending[start..<end].map { self.interaction(from: $0) }
            do {
                try await self.store.insertInteractions(rows)
            } catch {
                self.state.withLock {
                    $0.droppedSinceWarning += rows.count
                    $0.droppedTotal += rows.count
                }
                self.droppedCounter.increment(by: Int64(rows.count))
                if self.mayWarn(&lastWarning) {
                    self.logger.warning(
                        "interaction log: the store refused a batch; its records are dropped",
                        metadata: ["records": .stringConvertible(rows.count), "error": .string(String(describing: error))])
                }
            }
            start = end
        }
    }

    private func prune(olderThanDays days: Int, lastWarning: inout ContinuousClock.Instant?) async {
        let cutoff = Date().addingTimeInterval(-TimeInterval(days) * 86_400)
        do {
            let removed = try await self.store.deleteInteractions(startedBefore: cutoff)
            if removed > 0 { self.logger.info("interaction log pruned", metadata: ["rows": .stringConvertible(removed), "retention_days": .stringConvertible(days)]) }
        } catch {
            if self.mayWarn(&lastWarning) {
                self.logger.warning("interaction log: pruning failed", metadata: ["error": .string(String(describing: error))])
            }
        }
    }

    private func warnAboutDrops(lastWarning: inout ContinuousClock.Instant?) {
        let dropped = self.state.withLock { $0.droppedSinceWarning }
        guard dropped > 0, self.mayWarn(&lastWarning) else { return }
        self.state.withLock { $0.droppedSinceWarning = 0 }
        self.logger.warning(
            "interaction log: records dropped (buffer full or store failing)",
            metadata: ["records": .stringConvertible(dropped), "buffer": .stringConvertible(self.settings.bufferCapacity)])
    }

    private func mayWarn(_ lastWarning: inout ContinuousClock.Instant?) -> Bool {
        let now = ContinuousClock.now
        if let last = lastWarning, now - last < self.warningInterval { return false }
        lastWarning = now
        return true
    }

    private func interaction(from pending: Pending) -> Interaction {
        var interaction = Interaction(record: pending.record, total: pending.total)
        if let bodies = pending.record.capturedBodies {
            interaction.bodies = self.scrubber.bodies(bodies)
        }
        return interaction
    }
}

extension Interaction {
    /// The row for a request's record; bodies are added by the writer after scrubbing.
    init(record: RequestLogRecord, total: Duration) {
        let kind: InteractionCredentialKind
        if record.virtualKeyID != nil {
            kind = .virtualKey
        } else if record.oauthClientID != nil {
            kind = .oauthClient
        } else if record.credentialSource == .client {
            kind = .providerKey
        } else {
            kind = .none
        }
        self.init(
            startedAt: record.startedAt, profileID: record.profileID, credentialKind: kind,
            virtualKeyID: record.virtualKeyID, oauthClientID: record.oauthClientID, providerKeyID: record.providerKeyID,
            provider: record.providerID, model: record.model, baselineModel: record.baselineModel,
            method: record.method, path: record.nativePath, isStreaming: record.isStreaming,
            status: record.status, errorCode: record.errorCode,
            timings: InteractionTimings(
                totalMicroseconds: InteractionTimings.microseconds(total),
                upstreamMicroseconds: record.upstreamLatency.map(InteractionTimings.microseconds),
                firstMessageMicroseconds: record.firstMessageLatency.map(InteractionTimings.microseconds)),
            tokens: InteractionTokens(
                input: record.usage.inputTokens, output: record.usage.outputTokens, cacheRead: record.usage.cacheReadTokens,
                cacheWrite: record.usage.cacheWriteTokens, reasoning: record.usage.reasoningTokens),
            cost: record.cost.map { InteractionCost(total: $0.total, cache: $0.cache, savings: $0.savings) },
            blockedToolCalls: record.blockedToolCalls,
            requestBytes: record.requestBytes, responseBytes: record.responseBytes
        )
    }
}

/// What the writer needs of the store: tests stand in a slow or failing one.
package protocol InteractionLogStorage: Sendable {
    func insertInteractions(_ interactions: [Interaction]) async throws
    func deleteInteractions(startedBefore date: Date) async throws -> Int
}

/// The gateway's store as the writer's storage.
struct GatewayInteractionStorage: InteractionLogStorage {
    let store: any GatewayStore

    func insertInteractions(_ interactions: [Interaction]) async throws { try await self.store.insertInteractions(interactions) }
    func deleteInteractions(startedBefore date: Date) async throws -> Int { try await self.store.deleteInteractions(startedBefore: date) }
}
