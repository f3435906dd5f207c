import AsyncHTTPClient
import Foundation
import Gateway
import Logging
import NIOCore
import Proxy
import ServiceLifecycle
import Testing
import TestSupport
import WireFormats

/// Two `archestra serve` replicas (in process, each with its own store, pool and caches) on one
/// PostgreSQL database: what one replica's admin API does reaches the other within the revision
/// poll, a spending limit is one shared counter, and a database outage is ridden out from cache.
///
/// Runs where `ARCHESTRA_TEST_POSTGRES_URL` is set (scripts/with-test-postgres); where PostgreSQL
/// is required (CI, scripts/test) a missing URL fails the first test.
@Suite(.timeLimit(.minutes(2)))
struct PostgresReplicaTests {
    static let adminToken = "arch_admin_replica_test_token_0123456789"
    static let secretKey = Data(repeating: 5, count: 32).base64EncodedString()
    static let body = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#

    static var databaseURL: String? { ProcessInfo.processInfo.environment["ARCHESTRA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var outageURL: String? { ProcessInfo.processInfo.environment["ARCHESTRA_TEST_POSTGRES_OUTAGE_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var outageControl: String? { ProcessInfo.processInfo.environment["ARCHESTRA_TEST_POSTGRES_OUTAGE_CONTROL"] }
    static var isRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["ARCHESTRA_REQUIRE_POSTGRES"] == "1"
    }

    /// A fresh schema of the test database, shared by the replicas of one test.
    static func freshDatabaseURL(_ base: String, queryTimeout: Int? = nil) -> String {
        let schema = "r_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var url = base + "&schema=\(schema)&pool_size=4"
        if let queryTimeout { url += "&query_timeout=\(queryTimeout)&connect_timeout=\(queryTimeout)" }
        return url
    }

    @Test("where PostgreSQL is required, the replica tests have their databases")
    func requiredMeansPresent() {
        #expect(
            (Self.databaseURL != nil && Self.outageURL != nil && Self.outageControl != nil) || !Self.isRequired,
            "run the tests through scripts/with-test-postgres"
        )
    }

    /// One replica: `archestra serve` on a free port with the store the environment names.
    func withReplica<Value: Sendable>(
        databaseURL: String, upstreamPort: Int, _ body: (_ baseURL: String, _ gateway: GatewayRuntime) async throws -> Value
    ) async throws -> Value {
        let environment = [
            "ARCHESTRA_DATABASE_URL": databaseURL,
            "ARCHESTRA_ADMIN_TOKEN": Self.adminToken,
            "ARCHESTRA_SECRET_KEY": Self.secretKey,
            "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-upstream",
            "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1",
            "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
        ]
        let logger = Logger(label: "test.replica", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
        let gateway = try await GatewayRuntime.open(configuration: configuration, logger: logger)
        return try await withRunningServices({ reportPort in
            [ProxyService(configuration: configuration, gateway: gateway, logger: logger, onServerRunning: reportPort)]
        }) { port in
            try await body("http://127.0.0.1:\(port)", gateway)
        }
    }

    func chat(_ client: HTTPClient, _ proxy: String, key: String) async throws -> Int {
        let response = try await client.execute(
            openAIRequest("\(proxy)/v1/openai/chat/completions", json: Self.body, key: key), timeout: .seconds(20))
        _ = try await response.bodyText()
        return Int(response.status.code)
    }

    /// Through the admin API: a virtual key mapping the seeded OpenAI key; its id and value.
    func createVirtualKey(_ client: HTTPClient, _ proxy: String, providerKeyID: UUID) async throws -> (id: String, value: String) {
        var request = HTTPClientRequest(url: "\(proxy)/api/virtual-keys")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(Self.adminToken)")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"name":"replicated","provider_key_ids":["\#(providerKeyID.uuidString.lowercased())"]}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        let json = try JSONValue(parsing: Data(try await response.bodyText().utf8))
        try #require(response.status == .created, "\(json)")
        return (try #require(json["id"]?.stringValue), try #require(json["value"]?.stringValue))
    }

    func revokeVirtualKey(_ client: HTTPClient, _ proxy: String, id: String) async throws {
        var request = HTTPClientRequest(url: "\(proxy)/api/virtual-keys/\(id)")
        request.method = .DELETE
        request.headers.add(name: "authorization", value: "Bearer \(Self.adminToken)")
        let response = try await client.execute(request, timeout: .seconds(10))
        #expect(response.status == .noContent)
    }

    /// Polls `condition` every 20 ms; the time it took to hold, or `nil` past `limit`.
    func timeUntil(_ limit: Duration, _ condition: () async throws -> Bool) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if try await condition() { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test("a virtual key created through one replica works through the other; revoked on one, the other refuses it within the revision poll")
    func createAndRevokeAcrossReplicas() async throws {
        guard let base = Self.databaseURL else { return }
        let url = Self.freshDatabaseURL(base)
        let upstream = SpendLimitTests.Upstream()
        try await withUpstream(upstream.configure) { upstreamPort in
            try await self.withReplica(databaseURL: url, upstreamPort: upstreamPort) { a, gatewayA in
                try await self.withReplica(databaseURL: url, upstreamPort: upstreamPort) { b, gatewayB in
                    try await withTestClient { client in
                        // Both replicas seeded the same primary key: one row, seen by both.
                        let keys = try await gatewayA.store.providerKeys()
                        #expect(keys.count == 1)
                        #expect(try await gatewayB.store.providerKeys() == keys)

                        let created = try await self.createVirtualKey(client, a, providerKeyID: keys[0].id)
                        #expect(try await self.chat(client, b, key: created.value) == 200)
                        #expect(try await self.chat(client, a, key: created.value) == 200)

                        try await self.revokeVirtualKey(client, a, id: created.id)
                        let refusedAfter = try await self.timeUntil(.seconds(5)) { try await self.chat(client, b, key: created.value) == 401 }
                        let elapsed = try #require(refusedAfter, "replica B kept accepting a key revoked on replica A")
                        // The bound: one revision poll (250 ms) plus a request; generous for a loaded machine.
                        #expect(elapsed < .seconds(2))
                        #expect(try await self.chat(client, a, key: created.value) == 401)
                    }
                }
            }
        }
    }

    @Test("a spending limit is one counter across replicas: spend on one refuses the next request on the other, no poll between")
    func sharedSpendLimit() async throws {
        guard let base = Self.databaseURL else { return }
        let url = Self.freshDatabaseURL(base)
        let upstream = SpendLimitTests.Upstream()
        try await withUpstream(upstream.configure) { upstreamPort in
            try await self.withReplica(databaseURL: url, upstreamPort: upstreamPort) { a, gatewayA in
                try await self.withReplica(databaseURL: url, upstreamPort: upstreamPort) { b, gatewayB in
                    try await withTestClient { client in
                        let key = try await gatewayA.store.providerKeys()[0]
                        let created = try await self.createVirtualKey(client, a, providerKeyID: key.id)
                        let keyID = try #require(UUID(uuidString: created.id))
                        // $0.02 allows two requests of $0.0125 to start, never a third.
                        let limit = try await gatewayA.store.createSpendLimit(
                            SpendLimitDraft(entity: .virtualKey(keyID), usd: Decimal(string: "0.02")!, window: .rollingHour))
                        gatewayA.costs.invalidate()
                        gatewayB.costs.invalidate()

                        #expect(try await self.chat(client, a, key: created.value) == 200)
                        // A writes its spend as the response ends (not at its next poll); once
                        // it is in the database, B's next check reads it.
                        let written = try await self.timeUntil(.seconds(5)) { try await Self.storedSpend(gatewayA, limit) == SpendLimitTests.costPerRequest }
                        #expect(written != nil, "replica A never wrote its spend")
                        #expect(try await self.chat(client, b, key: created.value) == 200)
                        #expect(gatewayB.costs.spent(on: limit) >= SpendLimitTests.costPerRequest, "B's check read A's spend")
                        let both = try await self.timeUntil(.seconds(5)) { try await Self.storedSpend(gatewayA, limit) == SpendLimitTests.costPerRequest * 2 }
                        #expect(both != nil, "replica B never wrote its spend")
                        // A served one request ($0.0125 < $0.02): it refuses only because of B's,
                        // read by the check itself.
                        #expect(try await self.chat(client, a, key: created.value) == 402)
                        #expect(try await self.chat(client, b, key: created.value) == 402)
                        #expect(upstream.calls.load(ordering: .relaxed) == 2)
                    }
                }
            }
        }
    }

    /// What the database holds for `limit` in its current window, every replica's spend.
    static func storedSpend(_ gateway: GatewayRuntime, _ limit: SpendLimit) async throws -> Decimal {
        let now = Date()
        let buckets = try await gateway.store.addLimitSpend([], oldestBucket: LimitWindow.rollingHour.bucketStart(containing: now.addingTimeInterval(-7200)))
        let nano = buckets.filter { $0.limitID == limit.id && limit.window.counts(bucket: $0.bucket, at: now) }.reduce(Int64(0)) { $0 + $1.nanoUSD }
        return NanoUSD.usd(nano)
    }

    @Test("database down: a cached key keeps working, a new one fails 503 in OpenAI's shape; back up, everything recovers by itself")
    func outage() async throws {
        guard let base = Self.outageURL, let control = Self.outageControl else { return }
        let url = Self.freshDatabaseURL(base, queryTimeout: 8)
        let upstream = SpendLimitTests.Upstream()
        try await withUpstream(upstream.configure) { upstreamPort in
            try await self.withReplica(databaseURL: url, upstreamPort: upstreamPort) { proxy, gateway in
                try await withTestClient { client in
                    let key = try await gateway.store.providerKeys()[0]
                    let cached = try await self.createVirtualKey(client, proxy, providerKeyID: key.id)
                    let unseen = try await self.createVirtualKey(client, proxy, providerKeyID: key.id)
                    // The directory has seen the last revision, so no poll drops what the next
                    // request caches (a change made just before an outage would).
                    await gateway.directory.refreshIfChanged()
                    #expect(try await self.chat(client, proxy, key: cached.value) == 200)

                    try await Self.run(control, "stop")
                    var restarted = false
                    // A failed expectation must not leave the cluster down for the next run's
                    // tests: started, not awaited (a `defer` cannot await).
                    defer { if !restarted { _ = try? ChildProcess(control, ["start"]) } }

                    // Past several revision polls and a query timeout: the cache still answers.
                    try await Task.sleep(for: .seconds(3))
                    #expect(try await self.chat(client, proxy, key: cached.value) == 200)

                    let started = ContinuousClock.now
                    let response = try await client.execute(
                        openAIRequest("\(proxy)/v1/openai/chat/completions", json: Self.body, key: unseen.value), timeout: .seconds(20))
                    let json = try JSONValue(parsing: Data(try await response.bodyText().utf8))
                    #expect(response.status.code == 503)
                    #expect(json["error"]?["message"]?.stringValue != nil)
                    #expect(json["error"]?["type"]?.stringValue != nil)
                    // Bounded by query_timeout (8 s here, room for a loaded CI machine), not by the outage.
                    #expect(ContinuousClock.now - started < .seconds(18))

                    try await Self.run(control, "start")
                    restarted = true
                    let recovered = try await self.timeUntil(.seconds(30)) { try await self.chat(client, proxy, key: unseen.value) == 200 }
                    #expect(recovered != nil, "the new key never worked after the database came back")
                    #expect(try await self.chat(client, proxy, key: cached.value) == 200)
                }
            }
        }
    }

    /// Runs the cluster's control script (`stop` or `start`), its exit awaited.
    static func run(_ control: String, _ action: String) async throws {
        let run = try await runTool(control, [action])
        try #require(run.succeeded, "\(control) \(action) failed: \(run.errors)")
    }
}
