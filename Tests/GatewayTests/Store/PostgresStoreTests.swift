import Foundation
import Gateway
import Logging
import Testing
import WireFormats

/// What only PostgreSQL has: the schema agreement with SQLite, migrations shared by replicas,
/// TLS, and failing fast (and without the password) when the database is unreachable. The
/// engine-independent behaviour runs on both engines in the other store suites.
@Suite("the PostgreSQL store")
struct PostgresStoreTests {
    @Test("where PostgreSQL is required (CI, scripts/test), ARCHESTRA_TEST_POSTGRES_URL is set")
    func requiredMeansPresent() {
        #expect(
            TestPostgres.url != nil || !TestPostgres.isRequired,
            "CI must run the PostgreSQL cases: run the tests through scripts/with-test-postgres"
        )
    }

    @Test("both engines' migrations create the same tables and columns, up to the same version")
    func schemasAgree() async throws {
        guard TestPostgres.url != nil || TestPostgres.isRequired else { return }
        let sqlite = try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: TestStores.fixedBox)
        let postgres = try await TestPostgres.openStore()
        defer { Task { await postgres.shutdown() } }
        let expected = try await sqlite.catalog()
        var actual = try await postgres.catalog()
        // PostgreSQL spells out the insertion order SQLite keeps implicitly as `rowid`.
        for (table, columns) in actual.tables where columns.contains("rowid") {
            actual.tables[table] = columns.subtracting(["rowid"])
        }
        #expect(actual == expected)
        #expect(expected.tables.count >= 10)
    }

    @Test("replicas starting together migrate once, and see each other's changes through the revision")
    func replicasShareOneDatabase() async throws {
        guard TestPostgres.url != nil || TestPostgres.isRequired else { return }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let stores = try await withThrowingTaskGroup(of: PostgresGatewayStore.self) { group in
            for _ in 0..<3 { group.addTask { try await TestPostgres.openStore(schema: schema) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { Task { for store in stores { await store.shutdown() } } }
        let (a, b) = (stores[0], stores[1])
        #expect(try await a.profiles(kind: nil).count == 1)
        #expect(try await a.defaultProfile() == b.defaultProfile())

        let before = try await b.revision()
        let created = try await a.createVirtualKey(VirtualKeyDraft(name: "shared", providerKeyIDs: []))
        #expect(try await b.revision() > before)
        let candidates = try await b.virtualKeyCandidates(tokenStart: created.key.tokenStart)
        #expect(candidates.map { $0.key.id } == [created.key.id])
        #expect(candidates.first?.value == created.value)
        #expect(try await b.revokeVirtualKey(id: created.key.id))
        #expect(try await a.virtualKey(id: created.key.id)?.revokedAt != nil)
    }

    @Test("a database migrated by a newer archestra is refused")
    func newerSchemaRefused() async throws {
        guard TestPostgres.url != nil || TestPostgres.isRequired else { return }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let first = try await TestPostgres.openStore(schema: schema)
        let supported = try await first.catalog().supportedVersion
        try await first.recordForeignMigration("0099-from-the-future")
        await first.shutdown()
        let error = await #expect(throws: GatewayStoreError.self) { _ = try await TestPostgres.openStore(schema: schema) }
        #expect(error == .newerSchema(found: 99, supported: supported))
    }

    @Test("sslmode=require encrypts the connection; verify-full refuses a certificate it cannot trust")
    func tls() async throws {
        guard TestPostgres.url != nil || TestPostgres.isRequired else { return }
        var url = try TestPostgres.parsedURL()
        url.tls = .require
        let encrypted = try await TestPostgres.openStore(url: url)
        #expect(try await encrypted.connectionIsEncrypted())
        await encrypted.shutdown()

        url.tls = .disable
        let plain = try await TestPostgres.openStore(url: url)
        #expect(try await plain.connectionIsEncrypted() == false)
        await plain.shutdown()

        // The throwaway cluster's certificate is self-signed: no trusted root vouches for it.
        url.tls = .verifyFull
        url.queryTimeoutSeconds = 3
        let error = await #expect(throws: GatewayStoreError.self) { _ = try await TestPostgres.openStore(url: url) }
        #expect(error?.description.contains(url.password?.exposedValue ?? "\u{0}") == false)
    }

    @Test("an unreachable database fails within the query timeout, as unavailable, without the password")
    func unreachable() async throws {
        // A port nothing listens on: bound, then closed.
        let url = PostgresURL(
            host: "127.0.0.1", port: try closedPort(), username: "archestra", password: Secret("correct-horse-battery"),
            database: "archestra", tls: .disable, connectTimeoutSeconds: 1, queryTimeoutSeconds: 2
        )
        let started = ContinuousClock.now
        let error = await #expect(throws: GatewayStoreError.self) {
            _ = try await PostgresGatewayStore(url: url, secretBox: TestStores.fixedBox, logger: Logger(label: "test"))
        }
        // 1 s to connect, 2 s to answer; the margin is for a loaded CI machine running ~900 tests at once.
        #expect(ContinuousClock.now - started < .seconds(30))
        guard case .unavailable(let message) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(!message.contains("correct-horse-battery"))
    }

    @Test("a PostgreSQL database needs ARCHESTRA_SECRET_KEY: replicas must share it")
    func secretKeyRequired() async throws {
        let url = PostgresURL(host: "127.0.0.1", port: try closedPort(), username: "a", password: nil, database: "a")
        let error = await #expect(throws: GatewayStoreError.self) {
            _ = try await PostgresGatewayStore(url: url, environment: [:], logger: Logger(label: "test"))
        }
        #expect(error?.description.contains("ARCHESTRA_SECRET_KEY") == true)
    }
}

/// A loopback port that was free a moment ago and has no listener.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
}
