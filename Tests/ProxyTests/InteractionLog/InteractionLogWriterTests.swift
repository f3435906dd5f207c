import Foundation
import Gateway
import InMemoryLogging
import Logging
import Metrics
import NIOCore
import Proxy
import Synchronization
import TestSupport
import Testing
import WireFormats

@Suite("interaction log writer")
struct InteractionLogWriterTests {
    /// Storage that keeps rows, can be held shut (a slow database) or made to fail.
    final class TestStorage: InteractionLogStorage {
        let rows = Mutex<[Interaction]>([])
        let failing = Mutex(false)
        let inserts = Mutex(0)
        let gate: Gate?
        init(gate: Gate? = nil) { self.gate = gate }

        func insertInteractions(_ interactions: [Interaction]) async throws {
            self.inserts.withLock { $0 += 1 }
            if let gate { await gate.wait() }
            if self.failing.withLock({ $0 }) { throw GatewayStoreError.engine("SQLite failed to write (code 10): disk I/O error") }
            self.rows.withLock { $0 += interactions }
        }

        func deleteInteractions(startedBefore date: Date) async throws -> Int {
            self.rows.withLock { rows in
                let before = rows.count
                rows.removeAll { $0.startedAt < date }
                return before - rows.count
            }
        }
    }

    /// A counter whose increments the test reads, instead of a process-wide metrics backend.
    final class CountingHandler: CounterHandler, Sendable {
        let value = Atomic<Int64>(0)
        func increment(by amount: Int64) { self.value.add(amount, ordering: .relaxed) }
        func reset() { self.value.store(0, ordering: .relaxed) }
    }

    static func record(_ index: Int = 0) -> RequestLogRecord {
        var record = RequestLogRecord(method: "POST", nativePath: "/chat/completions")
        record.providerID = "openai"
        record.model = "gpt-4o"
        record.status = 200
        record.usage = TokenUsage(inputTokens: index, outputTokens: 1)
        return record
    }

    static func settings(capacity: Int = 100) -> InteractionLogSettings {
        InteractionLogSettings(bufferCapacity: capacity, flushInterval: .milliseconds(10), batchSize: 3)
    }

    @Test("a full buffer drops and counts records; the request path never waits")
    func fullBufferDrops() {
        let handler = CountingHandler()
        let writer = InteractionLogWriter(
            storage: TestStorage(), settings: Self.settings(capacity: 5), logger: Logger(label: "test"),
            droppedCounter: Counter(label: "dropped", dimensions: [], handler: handler))
        // No writer task runs: nothing drains the buffer, yet every call returns at once.
        for index in 0..<8 { writer.requestEnded(Self.record(index)) }
        #expect(writer.queuedRecords == 5)
        #expect(writer.droppedRecords == 3)
        #expect(handler.value.load(ordering: .relaxed) == 3)
    }

    @Test("with bodies on, the buffer also stops at 64 MiB of captured bodies, whatever its record count")
    func bodyBytesBound() {
        let writer = InteractionLogWriter(storage: TestStorage(), settings: Self.settings(capacity: 100), logger: Logger(label: "test"))
        let big = ByteBuffer(repeating: UInt8(ascii: "x"), count: 40 * 1024 * 1024)
        for _ in 0..<2 {
            var record = Self.record()
            var bodies = CapturedBodies(limit: big.readableBytes, secrets: [])
            bodies.request.append(big)
            record.capturedBodies = bodies
            writer.requestEnded(record)
        }
        writer.requestEnded(Self.record())  // no bodies: still fits
        #expect(writer.queuedRecords == 2)
        #expect(writer.droppedRecords == 1)
    }

    @Test("a database that hangs slows no request: records queue up to the bound, the rest are dropped and counted, the rest written once it recovers")
    func slowStore() async throws {
        let gate = Gate()
        let storage = TestStorage(gate: gate)
        let handler = CountingHandler()
        let writer = InteractionLogWriter(
            storage: storage, settings: Self.settings(capacity: 4), logger: Logger(label: "test"),
            droppedCounter: Counter(label: "dropped", dimensions: [], handler: handler))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run() }
            writer.requestEnded(Self.record(0))
            // The writer took the first record and is stuck in the store.
            #expect(try await poll { storage.inserts.withLock { $0 } == 1 })
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for index in 1...10 { writer.requestEnded(Self.record(index)) }
            }
            #expect(elapsed < .milliseconds(100))  // ten appends under a lock, no waiting on the store
            #expect(writer.queuedRecords == 4)
            #expect(writer.droppedRecords == 6)
            #expect(handler.value.load(ordering: .relaxed) == 6)
            await gate.open()
            writer.finish()
            try await group.waitForAll()
        }
        #expect(storage.rows.withLock { $0.map(\.tokens.input) } == [0, 1, 2, 3, 4])
        #expect(writer.queuedRecords == 0)
    }

    @Test("a failing database: its batches are dropped and counted, warned about once per interval, and writing resumes when it heals")
    func failingStore() async throws {
        let storage = TestStorage()
        storage.failing.withLock { $0 = true }
        let handler = CountingHandler()
        let logs = InMemoryLogHandler()
        let writer = InteractionLogWriter(
            storage: storage, settings: Self.settings(), logger: Logger(label: "test", factory: { _ in logs }),
            droppedCounter: Counter(label: "dropped", dimensions: [], handler: handler))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run() }
            for index in 0..<7 { writer.requestEnded(Self.record(index)) }  // three batches (3, 3, 1)
            #expect(try await poll { writer.droppedRecords == 7 })
            for index in 10..<12 { writer.requestEnded(Self.record(index)) }
            #expect(try await poll { writer.droppedRecords == 9 })
            storage.failing.withLock { $0 = false }
            writer.requestEnded(Self.record(20))
            writer.finish()
            try await group.waitForAll()
        }
        #expect(handler.value.load(ordering: .relaxed) == 9)
        #expect(storage.rows.withLock { $0.map(\.tokens.input) } == [20])
        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        // The warning names the engine's failure, nothing from the records.
        #expect(warnings.first?.metadata["error"].map { "\($0)".contains("disk I/O error") } == true)
    }

    @Test("finish() after the server drained: everything queued is written before run() returns, in batches")
    func drainsOnFinish() async throws {
        let storage = TestStorage()
        let writer = InteractionLogWriter(storage: storage, settings: Self.settings(), logger: Logger(label: "test"))
        for index in 0..<10 { writer.requestEnded(Self.record(index)) }
        writer.finish()
        await writer.run()
        #expect(storage.rows.withLock { $0.count } == 10)
        #expect(storage.inserts.withLock { $0 } == 4)  // 3 + 3 + 3 + 1
        #expect(writer.droppedRecords == 0)
    }

    @Test("rows older than the retention are pruned; 0 days keeps everything")
    func retention() async throws {
        for (days, remaining) in [(Optional(1), 1), (nil, 2)] {
            let storage = TestStorage()
            storage.rows.withLock {
                $0 = [
                    Interaction(startedAt: Date().addingTimeInterval(-2 * 86_400), method: "POST", path: "/old"),
                    Interaction(startedAt: Date(), method: "POST", path: "/new"),
                ]
            }
            var settings = Self.settings()
            settings.retentionDays = days
            let writer = InteractionLogWriter(storage: storage, settings: settings, logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await writer.run() }
                if days != nil { #expect(try await poll { storage.rows.withLock { $0.count } == remaining }) }
                writer.finish()
                try await group.waitForAll()
            }
            #expect(storage.rows.withLock { $0.count } == remaining)
        }
    }

    @Test("a record becomes a row: credential kind, timings, tokens, cost")
    func recordToRow() async throws {
        let storage = TestStorage()
        let writer = InteractionLogWriter(storage: storage, settings: Self.settings(), logger: Logger(label: "test"))
        var record = Self.record(42)
        let key = UUID()
        record.virtualKeyID = key
        record.credentialSource = .virtualKey
        record.isStreaming = true
        record.upstreamLatency = .milliseconds(12)
        record.firstMessageLatency = .microseconds(3_500)
        record.cost = RequestCost(total: Decimal(string: "0.000123")!, cache: Decimal(string: "0.00001")!)
        record.blockedToolCalls = ["rm"]
        var raw = Self.record(1)
        raw.credentialSource = .client
        writer.requestEnded(record)
        writer.requestEnded(raw)
        writer.finish()
        await writer.run()
        let rows = storage.rows.withLock { $0 }
        #expect(rows.count == 2)
        let row = try #require(rows.first)
        #expect(row.credentialKind == .virtualKey)
        #expect(row.virtualKeyID == key)
        #expect(row.isStreaming)
        #expect(row.timings.upstreamMicroseconds == 12_000)
        #expect(row.timings.firstMessageMicroseconds == 3_500)
        #expect((row.timings.totalMicroseconds ?? 0) > 0)
        #expect(row.tokens == InteractionTokens(input: 42, output: 1))
        #expect(row.cost == InteractionCost(total: Decimal(string: "0.000123")!, cache: Decimal(string: "0.00001")!))
        #expect(row.blockedToolCalls == ["rm"])
        #expect(row.bodies == nil)
        #expect(rows.last?.credentialKind == .providerKey)
    }

    @Test("captured bodies are scrubbed of the request's credentials, gateway-credential shapes and token fields, and cut at the limit")
    func scrubbedBodies() async throws {
        let storage = TestStorage()
        let writer = InteractionLogWriter(storage: storage, settings: Self.settings(), logger: Logger(label: "test"))
        let virtualKey = "arch_" + String(repeating: "ab12", count: 16)
        let providerKey = "sk-live-provider-key-123456"
        let pastedToken = "llm_at_" + String(repeating: "Zz9_", count: 10)
        var record = Self.record()
        var bodies = CapturedBodies(limit: 1_024, secrets: [Secret(providerKey), Secret("short")])
        bodies.request.append(ByteBuffer(string: #"{"messages":[{"role":"user","content":"my keys: \#(virtualKey) and \#(providerKey) and \#(pastedToken); short stays"}]}"#))
        bodies.response.append(ByteBuffer(string: #"{"access_token":"eyJsecret","echo":"\#(providerKey)"}"#))
        bodies.response.append(ByteBuffer(string: String(repeating: "x", count: 2_000)))
        record.capturedBodies = bodies
        writer.requestEnded(record)
        writer.finish()
        await writer.run()
        let stored = try #require(storage.rows.withLock { $0.first?.bodies })
        let request = try #require(stored.request)
        let response = try #require(stored.response)
        for secret in [virtualKey, providerKey, pastedToken, "eyJsecret"] {
            #expect(!request.contains(secret))
            #expect(!response.contains(secret))
        }
        #expect(request.contains("my keys: <redacted> and <redacted> and <redacted>; short stays"))
        #expect(response.hasPrefix(#"{"access_token":"<redacted>","echo":"<redacted>"}"#))
        #expect(!stored.requestTruncated)
        #expect(stored.responseTruncated)
        #expect(response.utf8.count < 1_024)  // cut at the limit, then shortened by the placeholders
    }
}
