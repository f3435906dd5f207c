import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file by writing a sibling temporary file and renaming it over the target.
///
/// `rename(2)` within one directory is atomic, so readers see either the old or the new file,
/// and a crash mid-write leaves the old file intact (plus, at worst, a stray temporary file).
enum AtomicFileWriter {
    static func write(_ data: Data, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw CassetteFileError.unwritable(path: path)
        }
        guard rename(temporary.path, target.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CassetteFileError.unwritable(path: path)
        }
    }
}
