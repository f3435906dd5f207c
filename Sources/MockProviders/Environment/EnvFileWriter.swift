import Foundation

/// Writes a shell-sourceable env file atomically.
///
/// The file is written to a temporary file beside the destination and renamed over it: rename
/// is atomic within one file system, so a script waiting for the file sees either nothing or all
/// of it.
package struct EnvFileWriter: Sendable {
    package let path: String

    package init(path: String) { self.path = path }

    /// The file's text: one `export NAME='value'` line per variable.
    package static func render(_ variables: [(name: String, value: String)]) -> String {
        variables.map { "export \($0.name)=\(shellQuoted($0.value))\n" }.joined()
    }

    /// Single-quotes a value for POSIX shells; an embedded `'` becomes `'\''`.
    package static func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Throws if the temporary file cannot be written or renamed; the destination is then untouched.
    package func write(_ variables: [(name: String, value: String)]) throws {
        let destination = URL(fileURLWithPath: self.path)
        let directory = destination.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        let data = Data(Self.render(variables).utf8)
        do {
            try data.write(to: temporary)
            if rename(temporary.path, destination.path) != 0 {
                throw EnvFileWriteError(path: self.path, errno: errno)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// Renaming the temporary env file over the destination failed.
package struct EnvFileWriteError: Error, CustomStringConvertible {
    package let path: String
    package let errno: Int32
    package var description: String { "could not write env file \(self.path): \(String(cString: strerror(self.errno)))" }
}
