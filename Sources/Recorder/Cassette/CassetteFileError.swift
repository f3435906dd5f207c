/// Why a cassette file could not be read or written. Messages name the file, never its content.
package enum CassetteFileError: Error, Hashable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(path: String, reason: String)
    case unsupportedVersion(path: String, version: Int)
    case unwritable(path: String)

    package var description: String {
        switch self {
        case .unreadable(let path): "cannot read cassette \(path)"
        case .malformed(let path, let reason): "\(path) is not a valid cassette: \(reason)"
        case .unsupportedVersion(let path, let version):
            "\(path) has cassette version \(version); this archestra reads up to \(Cassette.currentVersion)"
        case .unwritable(let path): "cannot write \(path)"
        }
    }
}
