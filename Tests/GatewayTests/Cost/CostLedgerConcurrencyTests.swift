import Foundation
import Gateway
import Logging
import Testing

/// The ledger is read by every request and written by the poll, the admin API and every response
/// end at once. These freeze one store call mid-flight (``Gate``) to pin the interleavings that
/// once went wrong: a check that did not wait for a reload, and two syncs sending the same spend.
@Suite(.timeLimit(.minutes(1)))
struct CostLedgerConcurrencyTests {
    static let cost = NanoUSD.from(Decimal(string: "0.0125")!)

    @Test("a check made while a reload is in flight waits for it: a limit deleted here is not enforced again")
    func checkJoinsReload() async throws {
        let store = CountingStore(try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: TestStores.fixedBox))
        let limit = try await store.createSpendLimit(SpendLimitDraft(entity: .organization, usd: Decimal(string: "0.001")!, window: .rollingDay))
        let ledger = CostLedger(store: store, logger: Logger(label: "test"))
        await ledger.syncNow()
        ledger.record(nanoUSD: Self.cost, virtualKeyID: nil, profileID: nil, model: "gpt-4o")
        #expect(await ledger.breach(virtualKeyID: nil, profileID: nil, model: "gpt-4o")?.limit.id == limit.id)

        // The admin API deletes the limit and invalidates; a reload starts and is held mid-read.
        #expect(try await store.deleteSpendLimit(id: limit.id))
        ledger.invalidate()
        let gate = Gate()
        store.gates.withLock { $0["spendLimits"] = gate }
        let reload = Task { await ledger.syncNow() }
        #expect(try await gate.waitUntilEntered(1))

        // A request checked now must not see the deleted limit: it waits for the reload.
        let check = Task { await ledger.breach(virtualKeyID: nil, profileID: nil, model: "gpt-4o") }
        gate.open()
        #expect(await check.value == nil)
        await reload.value
        #expect(gate.entered == 1, "the check joined the reload in flight instead of reading again")
    }

    @Test("syncs that overlap send each recorded amount once")
    func overlappingSyncsCountOnce() async throws {
        let store = CountingStore(try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: TestStores.fixedBox))
        let limit = try await store.createSpendLimit(SpendLimitDraft(entity: .organization, usd: 100, window: .rollingDay))
        let ledger = CostLedger(store: store, logger: Logger(label: "test"))
        await ledger.syncNow()
        ledger.record(nanoUSD: Self.cost, virtualKeyID: nil, profileID: nil, model: nil)

        // The first sync is held in its write while seven more are asked for.
        let gate = Gate()
        store.gates.withLock { $0["addLimitSpend"] = gate }
        let first = Task { await ledger.syncNow() }
        #expect(try await gate.waitUntilEntered(1))
        let others = (0..<7).map { _ in Task { await ledger.syncNow() } }
        // None of them may write while the first one's deltas are unsettled.
        try await Task.sleep(for: .milliseconds(200))
        #expect(gate.entered == 1)
        gate.open()
        await first.value
        for other in others { await other.value }

        #expect(ledger.spent(on: limit) == Decimal(string: "0.0125")!)
        let fresh = CostLedger(store: store, logger: Logger(label: "test"))
        await fresh.syncNow()
        #expect(fresh.spent(on: limit) == Decimal(string: "0.0125")!, "the store counted the spend once")
    }

    @Test("replicas sharing PostgreSQL: a request finished on one counts at the other's next check, with no poll between")
    func sharedSpendIsSeenAtOnce() async throws {
        guard TestPostgres.url != nil || TestPostgres.isRequired else { return }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let first = try await TestPostgres.openStore(schema: schema)
        let second = try await TestPostgres.openStore(schema: schema)
        defer { Task { await first.shutdown(); await second.shutdown() } }
        let limit = try await first.createSpendLimit(SpendLimitDraft(entity: .organization, usd: Decimal(string: "0.02")!, window: .rollingDay))
        // A poll interval no test waits for: only the checks and completions themselves sync.
        let a = CostLedger(store: first, pollInterval: .seconds(3600), logger: Logger(label: "test"))
        let b = CostLedger(store: second, pollInterval: .seconds(3600), logger: Logger(label: "test"))
        #expect(await a.breach(virtualKeyID: nil, profileID: nil, model: "gpt-4o") == nil)
        #expect(await b.breach(virtualKeyID: nil, profileID: nil, model: "gpt-4o") == nil)

        // One request finishes on replica a; the next check on b sees it.
        a.record(nanoUSD: Self.cost, virtualKeyID: nil, profileID: nil, model: "gpt-4o")
        #expect(try await Self.eventually { await b.breach(virtualKeyID: nil, profileID: nil, model: "gpt-4o") == nil && b.spent(on: limit) == Decimal(string: "0.0125")! })
        // A second one reaches the limit: b refuses at its next check.
        a.record(nanoUSD: Self.cost, virtualKeyID: nil, profileID: nil, model: "gpt-4o")
        #expect(try await Self.eventually { await b.breach(virtualKeyID: nil, profileID: nil, model: "gpt-4o")?.limit.id == limit.id })
        #expect(b.spent(on: limit) == Decimal(string: "0.025")!, "counted once on the way")
    }

    /// a's completion is written by a task of its own, so b's check right after may run first:
    /// polls every 10 ms for at most 5 s (the write is one round trip to loopback).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
