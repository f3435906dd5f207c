/// Why a capture could not be converted. Messages describe structure, never body content.
package enum CassetteImportError: Error, Hashable, CustomStringConvertible {
    case unreadable(path: String)
    case unrecognisedFormat(path: String)
    case unsupportedStructure(String)
    case invalidBinaryScalar
    /// A field of one interaction has a shape the importer does not know. Importing it anyway
    /// would write a hollow cassette (status 0, an empty body), so the import stops here.
    case unknownShape(path: String, interaction: Int, field: String, found: String)
    /// A raw-chunk fixture names neither its provider nor its request.
    case chunksNeedRequest(path: String)

    package var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unrecognisedFormat(let path):
            "\(path) is not a VCR.py, Ruby VCR or go-vcr cassette (no interactions/http_interactions list)"
        case .unsupportedStructure(let what): "unsupported cassette structure: \(what)"
        case .invalidBinaryScalar: "a binary (base64) body is not valid base64"
        case .chunksNeedRequest(let path):
            "\(path) is a raw-chunk fixture (data payloads only): give --provider and --path (the request it answers)"
        case .unknownShape(let path, let interaction, let field, let found):
            "\(path): interaction \(interaction): \(field): \(found); nothing was written"
        }
    }
}
