import Foundation
import Yams

/// Reading helpers over Yams nodes, shared by the YAML cassette importers.
///
/// The importers work on the node tree rather than decoded Swift values because they need what
/// decoding throws away: the order of header keys, and the tags that mark binary scalars
/// (`!!binary` from PyYAML, `!binary` from Ruby's Psych).
enum YAMLNodeReader {
    static let binaryTags: Set<String> = ["tag:yaml.org,2002:binary", "!binary"]

    static func string(_ node: Node?) -> String? {
        guard let scalar = node?.scalar, !self.isNull(node) else { return nil }
        return scalar.string
    }

    static func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        return node.scalar != nil && node.tag.description == "tag:yaml.org,2002:null"
    }

    /// The bytes of a body scalar: base64-decoded when tagged binary, UTF-8 otherwise.
    static func bytes(_ node: Node?) throws -> Data? {
        guard let node, !self.isNull(node), let scalar = node.scalar else { return nil }
        if self.binaryTags.contains(node.tag.description) {
            let compact = scalar.string.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact) else { throw CassetteImportError.invalidBinaryScalar }
            return data
        }
        return Data(scalar.string.utf8)
    }

    /// Headers from a `name: [values]` (or `name: value`) mapping, in file order.
    static func headers(_ node: Node?) -> [CassetteHeader] {
        guard let mapping = node?.mapping else { return [] }
        var headers: [CassetteHeader] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            for item in value.sequence.map(Array.init) ?? [value] {
                if let text = self.headerValue(item) { headers.append(CassetteHeader(name, text)) }
            }
        }
        return headers
    }

    /// A header value; pydantic-ai writes some as `!!binary` (botocore hands it bytes).
    private static func headerValue(_ node: Node) -> String? {
        guard let scalar = node.scalar else { return nil }
        if self.binaryTags.contains(node.tag.description),
            let data = Data(base64Encoded: scalar.string.filter { !$0.isWhitespace }),
            let text = String(validating: data, as: UTF8.self)
        {
            return text
        }
        return scalar.string
    }

    /// Compact JSON text for a parsed YAML value, keeping mapping order as written.
    static func compactJSON(_ node: Node) throws -> String {
        switch node {
        case .scalar(let scalar):
            switch node.tag.description {
            case "tag:yaml.org,2002:null": return "null"
            case "tag:yaml.org,2002:bool": return (node.bool ?? false) ? "true" : "false"
            case "tag:yaml.org,2002:int":
                guard let value = node.int else { return try self.quoted(scalar.string) }
                return String(value)
            case "tag:yaml.org,2002:float":
                guard let value = node.float, value.isFinite else { return try self.quoted(scalar.string) }
                return value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)"
            default: return try self.quoted(scalar.string)
            }
        case .sequence(let sequence):
            return "[" + (try sequence.map { try self.compactJSON($0) }).joined(separator: ",") + "]"
        case .mapping(let mapping):
            let members = try mapping.map { key, value in
                "\(try self.quoted(key.scalar?.string ?? "")):\(try self.compactJSON(value))"
            }
            return "{" + members.joined(separator: ",") + "}"
        case .alias:
            throw CassetteImportError.unsupportedStructure("YAML alias in a parsed body")
        }
    }

    private static func quoted(_ text: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(text), as: UTF8.self)
    }

    /// Splits `https://host:port/path?query` into its origin and its path with query, by hand
    /// so that placeholders such as `<BASE_URL>` and the exact percent-encoding survive. A
    /// fragment (`…/chat/completions#stream`, a recorder's label) is dropped: clients never send one.
    static func splitURL(_ url: String) -> (origin: String?, host: String?, path: String) {
        let url = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
        guard let schemeEnd = url.range(of: "://") else { return (nil, nil, url.isEmpty ? "/" : url) }
        let afterScheme = url[schemeEnd.upperBound...]
        let pathStart = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = String(afterScheme[..<pathStart])
        var path = String(afterScheme[pathStart...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        return (String(url[..<schemeEnd.upperBound]) + authority, authority, path)
    }
}
