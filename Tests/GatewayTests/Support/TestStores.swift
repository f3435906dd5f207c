import Foundation
import GRDB
import Logging
import Testing
import Gateway
import WireFormats

/// The engines every store test runs on: SQLite in memory and in a file, and PostgreSQL when
/// `ARCHESTRA_TEST_POSTGRES_URL` names one (scripts/with-test-postgres starts one). Where
/// PostgreSQL is required (CI, `scripts/test`) the case is always listed, so a missing URL fails
/// every PostgreSQL case instead of leaving them out.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case file
    case postgres

    static var allCases: [StoreKind] {
        TestPostgres.url != nil || TestPostgres.isRequired ? [.memory, .file, .postgres] : [.memory, .file]
    }

    var testDescription: String { self.rawValue }
}

/// The throwaway PostgreSQL the tests may use.
enum TestPostgres {
    static let urlVariable = "ARCHESTRA_TEST_POSTGRES_URL"
    static let controlVariable = "ARCHESTRA_TEST_POSTGRES_CONTROL"

    static var url: String? {
        ProcessInfo.processInfo.environment[urlVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// CI (`CI=true`, as CI services set it) and `scripts/test` (`ARCHESTRA_REQUIRE_POSTGRES=1`)
    /// must run the PostgreSQL cases.
    static var isRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["ARCHESTRA_REQUIRE_POSTGRES"] == "1"
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "\(TestPostgres.urlVariable) is not set: run the tests through scripts/with-test-postgres (PostgreSQL is required here)"
        }
    }

    static func parsedURL() throws -> PostgresURL {
        guard let url else { throw Missing() }
        guard case .postgres(let parsed) = try DatabaseURL(parsing: url) else { throw Missing() }
        return parsed
    }

    /// A store in a schema of its own, so tests running in parallel never see each other's rows.
    static func openStore(schema: String = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), url: PostgresURL? = nil)
        async throws -> PostgresGatewayStore
    {
        var url = try url ?? parsedURL()
        url.poolSize = min(url.poolSize, 4)
        return try await PostgresGatewayStore(url: url, secretBox: TestStores.fixedBox, searchPath: schema, logger: Logger(label: "test.postgres"))
    }
}

/// A directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-gw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: false)
    }

    func file(_ name: String) -> String { self.path + "/" + name }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A store and whatever it needs cleaned up.
struct OpenedStore: Sendable {
    let store: any GatewayStore
    let directory: TemporaryDirectory?

    /// Removes a SQLite file's directory. A PostgreSQL store's pool closes when the store is
    /// released; its schema stays in the throwaway cluster.
    func close() { self.directory?.remove() }
}

enum TestStores {
    static let fixedBox: SecretBox = {
        do {
            return try SecretBox(rawKey: Array(repeating: 7, count: 32))
        } catch {
            fatalError("a 32-byte key is valid: \(error)")
        }
    }()

    static func open(_ kind: StoreKind) async throws -> OpenedStore {
        switch kind {
        case .memory:
            return OpenedStore(store: try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: self.fixedBox), directory: nil)
        case .file:
            let directory = try TemporaryDirectory()
            let store = try await SQLiteGatewayStore(url: .sqliteFile(path: directory.file("gateway.sqlite")), secretBox: self.fixedBox)
            return OpenedStore(store: store, directory: directory)
        case .postgres:
            return OpenedStore(store: try await TestPostgres.openStore(), directory: nil)
        }
    }
}

extension Date {
    /// A whole-millisecond date, as the store returns dates.
    static func milliseconds(_ value: Int64) -> Date {
        Date(timeIntervalSince1970: Double(value) / 1000)
    }
}
