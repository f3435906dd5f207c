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

    @Test("PostgreSQL URLs parse, percent-decoded, with libpq's defaults")
    func postgres() throws {
        let url = try DatabaseURL(parsing: "postgres://app:p%40ss%2Fword@db.internal:6543/gateway?sslmode=require&pool_size=25&query_timeout=3")
        guard case .postgres(let parsed) = url else {
            Issue.record("expected a PostgreSQL URL")
            return
        }
        #expect(parsed.host == "db.internal")
        #expect(parsed.port == 6543)
        #expect(parsed.username == "app")
        #expect(parsed.password?.exposedValue == "p@ss/word")
        #expect(parsed.database == "gateway")
        #expect(parsed.tls == .require)
        #expect(parsed.poolSize == 25)
        #expect(parsed.queryTimeoutSeconds == 3)

        let plain = try DatabaseURL(parsing: "postgresql://app@localhost")
        guard case .postgres(let defaults) = plain else {
            Issue.record("expected a PostgreSQL URL")
            return
        }
        #expect(defaults.port == 5432)
        #expect(defaults.database == "app")
        #expect(defaults.password == nil)
        #expect(defaults.tls == .prefer)
        #expect(defaults.poolSize == PostgresURL.defaultPoolSize)
    }

    @Test("a PostgreSQL URL's description and errors never show its password")
    func postgresRedaction() throws {
        let url = try DatabaseURL(parsing: "postgres://app:hunter2@db/gateway?sslmode=verify-full")
        #expect(!url.description.contains("hunter2"))
        #expect(url.description.hasPrefix("postgres://app:***@db:5432/gateway?sslmode=verify-full"))
        #expect(!String(reflecting: url).contains("hunter2"))
        for text in [
            "postgres://app:hunter2@db/gateway?sslmode=maybe", "postgres://app:hunter2@db/gateway?pool_size=0",
            "postgres://app:hunter2@db/gateway?colour=blue", "postgres://:hunter2@db/gateway", "postgres://app:hunter2@/gateway",
            "postgres://app:hunter2@db/gateway?sslmode=require&sslmode=disable", "postgres://app:hunter2@db/gateway?sslrootcert=/ca.pem",
        ] {
            let error = #expect(throws: GatewayStoreError.self) { try DatabaseURL(parsing: text) }
            #expect(error?.description.contains("ARCHESTRA_DATABASE_URL") == true, "\(text)")
            #expect(error?.description.contains("hunter2") == false, "\(text)")
        }
    }

    @Test("anything else is a clear error", arguments: ["mysql://db/x", "archestra.sqlite", "sqlite://", "sqlite:foo", ""])
    func unsupported(text: String) throws {
        let error = #expect(throws: GatewayStoreError.self) { try DatabaseURL(parsing: text) }
        #expect(error?.description.contains("ARCHESTRA_DATABASE_URL") == true)
    }
}
