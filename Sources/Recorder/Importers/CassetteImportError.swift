/// Why a capture could not be converted. Messages describe structure, never body content.
package enum CassetteImportError: Error, Hashable, CustomStringConvertible {
    case unreadable(path: String)
    case unrecognisedFormat(path: String)
    case unsupportedStructure(String)
    case invalidBinaryScalar

    package var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unrecognisedFormat(let path):
            "\(path) is not a VCR.py, Ruby VCR or go-vcr cassette (no interactions/http_interactions list)"
        case .unsupportedStructure(let what): "unsupported cassette structure: \(what)"
        case .invalidBinaryScalar: "a binary (base64) body is not valid base64"
        }
    }
}
