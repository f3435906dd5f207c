import Gateway
import Testing

@Suite("ARCHESTRA_DATABASE_URL")
struct DatabaseURLTests {
    @Test(
        "SQLite URLs parse",
        arguments: [
            ("sqlite://archestra.sqlite", DatabaseURL.sqliteFile(path: "archestra.sqlite")),
            ("sqlite://data/gw.sqlite", .sqliteFile(path: "data/gw.sqlite")),
            ("sqlite:///var/lib/archestra/gw.sqlite", .sqliteFile(path: "/var/lib/archestra/gw.sqlite")),
            ("sqlite::memory:", .sqliteInMemory),
        ]
    )
    func parses(text: String, expected: DatabaseURL) throws {
        #expect(try DatabaseURL(parsing: text) == expected)
    }

    @Test("unset or empty means sqlite://archestra.sqlite in the working directory")
    func defaultValue() throws {
        #expect(try DatabaseURL(environment: [:]) == .sqliteFile(path: "archestra.sqlite"))
        #expect(try DatabaseURL(environment: ["ARCHESTRA_DATABASE_URL": ""]) == .sqliteFile(path: "archestra.sqlite"))
        #expect(try DatabaseURL(environment: ["ARCHESTRA_DATABASE_URL": "sqlite::memory:"]) == .sqliteInMemory)
    }

    @Test("PostgreSQL is refused as not yet supported, without repeating the URL's password")
    func postgres() throws {
        for text in ["postgres://user:hunter2@db/archestra", "postgresql://user:hunter2@db/archestra"] {
            let error = #expect(throws: GatewayStoreError.self) { try DatabaseURL(parsing: text) }
            guard case .unsupportedDatabaseURL(let message) = error else {
                Issue.record("expected unsupportedDatabaseURL")
                continue
            }
            #expect(message.contains("PostgreSQL arrives in a later release"))
            #expect(!message.contains("hunter2"))
        }
    }

    @Test("anything else is a clear error", arguments: ["mysql://db/x", "archestra.sqlite", "sqlite://", "sqlite:foo", ""])
    func unsupported(text: String) throws {
        let error = #expect(throws: GatewayStoreError.self) { try DatabaseURL(parsing: text) }
        #expect(error?.description.contains("ARCHESTRA_DATABASE_URL") == true)
    }
}
