import AdminAPI
import Foundation
import Gateway
import InMemoryLogging
import Logging
import Testing

@Suite("Admin token source")
struct AdminTokenSourceTests {
    /// A fresh directory per test, removed afterwards.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("admin-token-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    static func logger(_ handler: InMemoryLogHandler) -> Logger {
        Logger(label: "token-test") { _ in handler }
    }

    @Test("ARCHESTRA_ADMIN_TOKEN wins over the file and the database kind")
    func environmentWins() throws {
        let token = try AdminTokenSource(environmentValue: "env-token-0123456789", database: .sqliteFile(path: "/nonexistent/db.sqlite"))
            .resolve(logger: Self.logger(InMemoryLogHandler()))
        #expect(token.value.exposedValue == "env-token-0123456789")
        #expect(token.origin == .environment)
    }

    @Test("a short or spaced ARCHESTRA_ADMIN_TOKEN is refused without being echoed", arguments: ["", "short", "has a space in the middle"])
    func unusableEnvironment(value: String) throws {
        let error = #expect(throws: AdminTokenError.self) {
            try AdminTokenSource(environmentValue: value, database: .sqliteInMemory).resolve(logger: Self.logger(InMemoryLogHandler()))
        }
        #expect(error?.description.contains("ARCHESTRA_ADMIN_TOKEN") == true)
        if !value.isEmpty { #expect(error?.description.contains(value) == false) }
    }

    @Test("the first start writes a 0600 file beside the database, logs its path and not its value; later starts reuse it")
    func fileCreatedOnceAndReused() throws {
        try Self.withDirectory { directory in
            let database = directory + "/archestra.sqlite"
            let logs = InMemoryLogHandler()
            let first = try AdminTokenSource(environmentValue: nil, database: .sqliteFile(path: database)).resolve(logger: Self.logger(logs))
            let path = database + ".admin-token"
            #expect(first.origin == .file(path: path, created: true))
            #expect(first.value.exposedValue.hasPrefix("arch_admin_"))
            #expect(first.value.exposedValue.count == "arch_admin_".count + 64)

            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == first.value.exposedValue + "\n")

            let logged = logs.entries.map { "\($0.message) \($0.metadata)" }.joined()
            #expect(logged.contains(path))
            #expect(!logged.contains(first.value.exposedValue))
            #expect(logs.entries.contains { $0.level == .notice })

            let second = try AdminTokenSource(environmentValue: nil, database: .sqliteFile(path: database), generate: { "a-different-token-0123" })
                .resolve(logger: Self.logger(InMemoryLogHandler()))
            #expect(second.value == first.value)
            #expect(second.origin == .file(path: path, created: false))
        }
    }

    @Test("an existing file is never overwritten, even by a process that would generate another token")
    func existingFileKept() throws {
        try Self.withDirectory { directory in
            let database = directory + "/db.sqlite"
            try "operator-chosen-token-123\n".write(toFile: database + ".admin-token", atomically: true, encoding: .utf8)
            let token = try AdminTokenSource(environmentValue: nil, database: .sqliteFile(path: database)).resolve(logger: Self.logger(InMemoryLogHandler()))
            #expect(token.value.exposedValue == "operator-chosen-token-123")
            #expect(try String(contentsOfFile: database + ".admin-token", encoding: .utf8) == "operator-chosen-token-123\n")
        }
    }

    @Test("an empty token file is refused rather than accepted as an empty token")
    func emptyFileRefused() throws {
        try Self.withDirectory { directory in
            let database = directory + "/db.sqlite"
            _ = FileManager.default.createFile(atPath: database + ".admin-token", contents: Data())
            #expect(throws: AdminTokenError.self) {
                try AdminTokenSource(environmentValue: nil, database: .sqliteFile(path: database)).resolve(logger: Self.logger(InMemoryLogHandler()))
            }
        }
    }

    @Test("a directory that cannot hold the file is a clear error naming the path")
    func unwritableDirectory() throws {
        let error = #expect(throws: AdminTokenError.self) {
            try AdminTokenSource(environmentValue: nil, database: .sqliteFile(path: "/nonexistent-\(UUID().uuidString)/db.sqlite"))
                .resolve(logger: Self.logger(InMemoryLogHandler()))
        }
        #expect(error?.description.contains("db.sqlite.admin-token") == true)
    }

    @Test("an in-memory database without the variable gets an ephemeral token, different each time")
    func ephemeral() throws {
        let first = try AdminTokenSource(environmentValue: nil, database: .sqliteInMemory).resolve(logger: Self.logger(InMemoryLogHandler()))
        let second = try AdminTokenSource(environmentValue: nil, database: .sqliteInMemory).resolve(logger: Self.logger(InMemoryLogHandler()))
        #expect(first.origin == .ephemeral)
        #expect(first.value.exposedValue.hasPrefix("arch_admin_"))
        #expect(first.value != second.value)
    }
}
