import Foundation
import Yams

/// A body as another recorder wrote it, read strictly: the shapes below, or an
/// ``ImportFieldFailure`` naming the field — never an empty body standing in for one not understood.
///
/// - a string (VCR.py request bodies), `!!binary` base64 included
/// - `{string: …}` (VCR.py responses; Ruby VCR's `{encoding, string}`)
/// - `{type, content}` (newer pydantic-ai serialisers): `content` a string, `!!binary`, or the
///   parsed JSON (re-serialised, marked `reserialized`); `type` `base64`/`binary` decodes a base64 string
/// - null or absent: no body
struct ImportedBody {
    var bytes: Data
    var reserialized = false

    static func read(_ node: Node?, field: String) throws -> ImportedBody? {
        guard let node, !YAMLNodeReader.isNull(node) else { return nil }
        if node.scalar != nil {
            return try YAMLNodeReader.bytes(node).map { ImportedBody(bytes: $0) }
        }
        guard node.mapping != nil else {
            throw ImportFieldFailure(field: field, found: ImportFieldFailure.describe(node))
        }
        if let string = node["string"] {
            return ImportedBody(bytes: try YAMLNodeReader.bytes(string) ?? Data())
        }
        if let content = node["content"] {
            let type = YAMLNodeReader.string(node["type"])?.lowercased()
            if YAMLNodeReader.isNull(content) { return ImportedBody(bytes: Data()) }
            if content.scalar != nil {
                guard let bytes = try YAMLNodeReader.bytes(content) else { return ImportedBody(bytes: Data()) }
                if type == "base64" || type == "binary" {
                    guard let decoded = Data(base64Encoded: String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }) else {
                        throw ImportFieldFailure(field: "\(field).content", found: "type \(type ?? "") but not valid base64")
                    }
                    return ImportedBody(bytes: decoded)
                }
                return ImportedBody(bytes: bytes)
            }
            // Parsed JSON: only the structure survived, so the bytes are rebuilt.
            return ImportedBody(bytes: Data(try YAMLNodeReader.compactJSON(content).utf8), reserialized: true)
        }
        let keys = node.mapping?.keys.compactMap { $0.scalar?.string }.joined(separator: ", ") ?? ""
        throw ImportFieldFailure(field: field, found: "a mapping with keys {\(keys)}, expected `string` or `content`")
    }
}

/// A field of one interaction the importer cannot read: reported with the file and the
/// interaction's index as ``CassetteImportError/unknownShape(path:interaction:field:found:)``.
struct ImportFieldFailure: Error {
    var field: String
    var found: String

    /// What a node is, for the error message — its kind and, for a scalar, its first characters.
    static func describe(_ node: Node?) -> String {
        guard let node, !YAMLNodeReader.isNull(node) else { return "missing" }
        switch node {
        case .scalar(let scalar): return "found `\(scalar.string.prefix(40))`"
        case .mapping(let mapping): return "found a mapping with keys {\(mapping.keys.compactMap { $0.scalar?.string }.joined(separator: ", "))}"
        case .sequence: return "found a list"
        case .alias: return "found a YAML alias"
        }
    }
}

/// go-vcr keeps a request's query parameters in `form:` (Go's parsed `r.Form`) as well as, or
/// instead of, in the URL: parameters missing from the URL (`api-version`) belong to its query.
enum GoVCRForm {
    static func path(_ path: String, adding form: Node?, requestBody: Node?) -> String {
        guard let mapping = form?.mapping, !mapping.isEmpty else { return path }
        // A urlencoded body is also parsed into `form`: those parameters are the body's, not the query's.
        let bodyText = YAMLNodeReader.string(requestBody) ?? ""
        let query = path.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let present = Set(query.split(separator: "&").compactMap { $0.split(separator: "=", maxSplits: 1).first.map { String($0).removingPercentEncoding ?? String($0) } })
        var added: [String] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string, !present.contains(name) else { continue }
            for item in value.sequence.map(Array.init) ?? [value] {
                guard let text = item.scalar?.string else { continue }
                let pair = "\(Self.encode(name))=\(Self.encode(text))"
                if bodyText.contains(pair) || bodyText.contains("\(name)=") { continue }
                added.append(pair)
            }
        }
        guard !added.isEmpty else { return path }
        return path + (path.contains("?") ? "&" : "?") + added.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
