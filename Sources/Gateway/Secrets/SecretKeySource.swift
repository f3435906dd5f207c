import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the key that encrypts stored secrets comes from, in order of precedence:
///
/// 1. `ARCHESTRA_SECRET_KEY`: base64 of exactly 32 bytes (`openssl rand -base64 32`);
/// 2. a key file beside the database file (`<database file>.key`), created on first use with
///    mode 0600 and reused afterwards;
/// 3. for `sqlite::memory:`, a random key that lives as long as the process, as the data does.
///
/// Losing the key makes stored provider keys and virtual key values unreadable
/// (``GatewayStoreError/undecryptableSecret(_:)``); it must move with the database.
package enum SecretKeySource: Sendable, Hashable, CustomStringConvertible {
    case environmentVariable
    case keyFile(path: String)
    case ephemeral

    package static let environmentVariableName = "ARCHESTRA_SECRET_KEY"

    /// Which source applies to `databaseURL` given `environment`; reads nothing yet.
    package init(databaseURL: DatabaseURL, environment: [String: String]) {
        if let value = environment[Self.environmentVariableName], !value.isEmpty {
            self = .environmentVariable
        } else if let path = databaseURL.filePath {
            self = .keyFile(path: path + ".key")
        } else {
            self = .ephemeral
        }
    }

    /// Reads (or, for a key file seen for the first time, creates) the key.
    ///
    /// - Throws: ``SecretKeyError``: a malformed `ARCHESTRA_SECRET_KEY` (its value is never
    ///   repeated), a key file readable by others, of the wrong length, or that cannot be created.
    package func loadSecretBox(environment: [String: String]) throws(SecretKeyError) -> SecretBox {
        switch self {
        case .environmentVariable:
            let value = (environment[Self.environmentVariableName] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let data = Data(base64Encoded: value), data.count == SecretBox.keyByteCount else {
                throw SecretKeyError(
                    .malformedEnvironmentKey,
                    "\(Self.environmentVariableName) must be the base64 encoding of exactly \(SecretBox.keyByteCount) bytes (generate one with `openssl rand -base64 32`)"
                )
            }
            return try SecretBox(rawKey: Array(data))
        case .keyFile(let path):
            return try SecretBox(rawKey: KeyFile(path: path).loadOrCreate())
        case .ephemeral:
            return SecretBox.ephemeral()
        }
    }

    package var description: String {
        switch self {
        case .environmentVariable: return Self.environmentVariableName
        case .keyFile(let path): return "key file \(path)"
        case .ephemeral: return "an ephemeral key (in-memory database)"
        }
    }
}

/// The key file: base64 of 32 bytes and a newline, so that an operator can move it into
/// `ARCHESTRA_SECRET_KEY` as is.
private struct KeyFile {
    let path: String

    func loadOrCreate() throws(SecretKeyError) -> [UInt8] {
        if let existing = try self.readIfPresent() {
            return existing
        }
        let key = RandomBytes.generate(count: SecretBox.keyByteCount)
        if try self.createExclusively(contents: Data(key).base64EncodedString() + "\n") {
            return key
        }
        // Another process (a CLI command beside the server) created it first: use theirs.
        guard let theirs = try self.readIfPresent() else {
            throw SecretKeyError(.keyFileUnavailable, "the secret key file \(self.path) vanished while it was being created")
        }
        return theirs
    }

    /// `nil` when there is no file. A file that others can read or write is refused rather than
    /// used: its key may have leaked, and fixing the mode is the operator's call.
    private func readIfPresent() throws(SecretKeyError) -> [UInt8]? {
        var status = stat()
        guard stat(self.path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw SecretKeyError(.keyFileUnavailable, "cannot inspect the secret key file \(self.path): \(Self.describe(errno: code))")
        }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw SecretKeyError(
                .keyFilePermissions,
                "the secret key file \(self.path) has mode \(String(permissions, radix: 8)); it must be readable by its owner only (chmod 600)"
            )
        }
        guard let contents = FileManager.default.contents(atPath: self.path) else {
            throw SecretKeyError(.keyFileUnavailable, "cannot read the secret key file \(self.path)")
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(base64Encoded: text), key.count == SecretBox.keyByteCount else {
            throw SecretKeyError(
                .keyFileMalformed,
                "the secret key file \(self.path) does not hold the base64 encoding of exactly \(SecretBox.keyByteCount) bytes"
            )
        }
        return Array(key)
    }

    /// Writes a private temporary file (`O_CREAT | O_EXCL`, mode 0600) and links it into place,
    /// so that a concurrent reader sees either no key file or a complete one, never half a key.
    /// Returns `false` when the key file appeared meanwhile.
    private func createExclusively(contents: String) throws(SecretKeyError) -> Bool {
        let temporaryPath = "\(self.path).\(RandomBytes.lowercaseHex(RandomBytes.generate(count: 8))).tmp"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SecretKeyError(.keyFileUnavailable, "cannot create the secret key file \(self.path): \(Self.describe(errno: errno))")
        }
        defer { unlink(temporaryPath) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let writeError = errno
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            throw SecretKeyError(.keyFileUnavailable, "cannot write the secret key file \(self.path): \(Self.describe(errno: writeError))")
        }
        guard link(temporaryPath, self.path) == 0 else {
            let code = errno
            if code == EEXIST { return false }
            throw SecretKeyError(.keyFileUnavailable, "cannot create the secret key file \(self.path): \(Self.describe(errno: code))")
        }
        return true
    }

    private static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
