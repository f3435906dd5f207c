import Foundation
package import Gateway
package import Logging
package import WireFormats

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the admin token comes from, in order:
/// 1. `ARCHESTRA_ADMIN_TOKEN`, when set;
/// 2. otherwise `<database file>.admin-token`, a 0600 file created at the first start with a
///    random token and read at every start after, so the token survives restarts without the
///    operator choosing one; its path is logged, never its value;
/// 3. for an in-memory database, which has no file to sit beside, a token generated for this
///    process only, which the caller shows (`archestra dev` prints it).
///
/// ```swift
/// let source = AdminTokenSource(environmentValue: environment[AdminTokenSource.variable], database: databaseURL)
/// let token = try source.resolve(logger: logger)   // token.value: Secret; token.origin == .ephemeral → print it
/// ```
package struct AdminTokenSource: Sendable {
    package static let variable = "ARCHESTRA_ADMIN_TOKEN"
    /// Shorter tokens are refused: the admin token guards every credential of the gateway.
    package static let minimumLength = 16

    /// What ``resolve(logger:)`` found.
    package struct Token: Sendable {
        package let value: Secret
        package let origin: Origin
    }

    package enum Origin: Sendable, Equatable {
        case environment
        /// `created` is true on the start that wrote the file.
        case file(path: String, created: Bool)
        /// Lives as long as the process; the caller must show it, or nobody can use the API.
        case ephemeral
    }

    package let environmentValue: String?
    /// The gateway's database: the token file goes beside a SQLite file; an in-memory database
    /// has nowhere to keep one.
    package let database: DatabaseURL
    private let generate: @Sendable () -> String

    package init(environmentValue: String?, database: DatabaseURL, generate: @escaping @Sendable () -> String = AdminTokenSource.randomToken) {
        self.environmentValue = environmentValue
        self.database = database
        self.generate = generate
    }

    /// The token file beside a database file.
    package static func tokenFilePath(forDatabaseFile path: String) -> String {
        path + ".admin-token"
    }

    /// Reads or creates the token. Throws ``AdminTokenError`` for a variable or file that holds
    /// no usable token, or a file that cannot be written; its messages carry the path, never a
    /// token.
    package func resolve(logger: Logger) throws -> Token {
        if let value = self.environmentValue {
            return Token(value: try Self.checked(value, origin: "\(Self.variable)"), origin: .environment)
        }
        switch self.database {
        case .sqliteInMemory:
            logger.notice("admin token generated for this process only: the database is in memory")
            return Token(value: Secret(self.generate()), origin: .ephemeral)
        case .sqliteFile(let databasePath):
            let path = Self.tokenFilePath(forDatabaseFile: databasePath)
            let shownPath = Self.absolute(path)
            if let value = try self.createFile(at: path) {
                logger.notice("admin token generated and written", metadata: ["archestra.admin_token.file": .string(shownPath)])
                return Token(value: value, origin: .file(path: path, created: true))
            }
            let value = try Self.read(path)
            logger.notice("admin token read", metadata: ["archestra.admin_token.file": .string(shownPath)])
            return Token(value: value, origin: .file(path: path, created: false))
        case .postgres:
            // Replicas share one database and must accept the same token: none can invent it.
            throw AdminTokenError.requiredForSharedDatabase
        }
    }

    /// `arch_admin_` + 64 hex from the system's cryptographic generator.
    package static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "arch_admin_" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    // MARK: The file

    /// Creates the file with `O_CREAT | O_EXCL` and mode 0600 and writes a new token; `nil` when
    /// the file already exists. Exclusive creation means two processes starting together cannot
    /// both write a token and then disagree about it.
    private func createFile(at path: String) throws -> Secret? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { return nil }
            throw AdminTokenError.cannotWrite(path: path, reason: String(cString: strerror(code)))
        }
        let token = self.generate()
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else {
            // A half-written file would be read as a wrong token at every later start.
            unlink(path)
            throw AdminTokenError.cannotWrite(path: path, reason: "short write")
        }
        return Secret(token)
    }

    private static func read(_ path: String) throws -> Secret {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw AdminTokenError.unreadable(path: path)
        }
        var value = text
        if value.hasSuffix("\n") { value.removeLast() }
        return try self.checked(value, origin: path)
    }

    private static func checked(_ value: String, origin: String) throws -> Secret {
        let scalars = value.unicodeScalars
        guard scalars.count >= self.minimumLength, scalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
            throw AdminTokenError.unusable(origin: origin, minimumLength: self.minimumLength)
        }
        return Secret(value)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// Why no admin token could be had. Carries paths and rules, never a token.
package enum AdminTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case unusable(origin: String, minimumLength: Int)
    case unreadable(path: String)
    case cannotWrite(path: String, reason: String)
    /// A PostgreSQL database is shared by replicas, which must all accept one token.
    case requiredForSharedDatabase

    package var description: String {
        switch self {
        case .unusable(let origin, let minimumLength):
            return "the admin token in \(origin) must be at least \(minimumLength) printable ASCII characters without spaces"
        case .unreadable(let path):
            return "cannot read the admin token file \(path)"
        case .cannotWrite(let path, let reason):
            return "cannot create the admin token file \(path): \(reason)"
        case .requiredForSharedDatabase:
            return "set \(AdminTokenSource.variable) with a PostgreSQL database: every replica must accept the same admin token"
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        self.count >= length ? self : String(repeating: "0", count: length - self.count) + self
    }
}
