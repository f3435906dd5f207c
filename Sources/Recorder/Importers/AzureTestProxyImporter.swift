package import Foundation
import WireFormats

/// Imports the Azure SDK test proxy's JSON recordings (`{"Entries": [{RequestUri, RequestMethod,
/// RequestHeaders, RequestBody, StatusCode, ResponseHeaders, ResponseBody}], "Variables": {…}}`),
/// the format every Azure SDK (Python, .NET, Java, JS, Go) records its tests in.
///
/// Bodies are kept as the test proxy stored them: `null` (none), a JSON object or array for JSON
/// content (re-serialised compactly, marked `reserialized`: the original bytes are gone), a string
/// (text; base64 for a binary content type), or an array of strings (a text body the proxy split
/// into lines, joined back with `\n`). Any other shape stops the import with the entry and field.
/// Headers come out sorted by name: the recording's JSON objects keep no order a reader can rely on.
package struct AzureTestProxyImporter: Sendable {
    package static let format = "Azure SDK test proxy JSON recording"

    package init() {}

    /// Whether `data` looks like a test-proxy recording (a JSON object with an `Entries` list).
    package static func recognises(_ data: Data) -> Bool {
        guard let value = try? JSONValue(parsing: data), case .array = value["Entries"] else { return false }
        return true
    }

    package func convert(_ data: Data, label: String = "<memory>") throws -> Cassette {
        guard let root = try? JSONValue(parsing: data), case .array(let entries) = root["Entries"] else {
            throw CassetteImportError.unrecognisedFormat(path: label)
        }
        var interactions: [CassetteInteraction] = []
        var origin: String?
        for (index, entry) in entries.enumerated() {
            do {
                let (interaction, entryOrigin) = try Self.interaction(entry)
                interactions.append(interaction)
                origin = origin ?? entryOrigin
            } catch let failure as ImportFieldFailure {
                throw CassetteImportError.unknownShape(path: label, interaction: index, field: failure.field, found: failure.found)
            }
        }
        return Cassette(
            provenance: CassetteProvenance(
                kind: .converted, upstream: origin, tool: CassetteImporter.tool, originalFormat: Self.format,
                notes: interactions.contains { $0.response.body?.reserialized == true || $0.request.body?.reserialized == true }
                    ? "JSON bodies stored parsed by the test proxy were re-serialised (marked reserialized)."
                    : nil
            ),
            interactions: interactions
        )
    }

    private static func interaction(_ entry: JSONValue) throws -> (CassetteInteraction, String?) {
        guard let uri = entry["RequestUri"]?.stringValue else {
            throw ImportFieldFailure(field: "RequestUri", found: Self.describe(entry["RequestUri"]))
        }
        guard let method = entry["RequestMethod"]?.stringValue else {
            throw ImportFieldFailure(field: "RequestMethod", found: Self.describe(entry["RequestMethod"]))
        }
        guard let status = entry["StatusCode"]?.intValue, (100...599).contains(status) else {
            throw ImportFieldFailure(field: "StatusCode", found: Self.describe(entry["StatusCode"]) + ", expected an HTTP status code")
        }
        let (origin, host, path) = YAMLNodeReader.splitURL(uri)
        let requestHeaders = try Self.headers(entry["RequestHeaders"], field: "RequestHeaders")
        let responseHeaders = try Self.headers(entry["ResponseHeaders"], field: "ResponseHeaders")
        let requestBody = try Self.body(entry["RequestBody"], headers: requestHeaders, field: "RequestBody")
        let responseBody = try Self.body(entry["ResponseBody"], headers: responseHeaders, field: "ResponseBody")
        let request = CassetteRequest(
            method: method.uppercased(), path: path, host: host, headers: requestHeaders,
            body: requestBody.flatMap { $0.bytes.isEmpty ? nil : CassetteBody(bytes: $0.bytes, reserialized: $0.reserialized ? true : nil) }
        )
        let response = ImportedResponseBuilder.response(
            status: status, headers: responseHeaders, body: responseBody?.bytes, reserialized: responseBody?.reserialized ?? false)
        return (CassetteRedactor().redact(CassetteInteraction(request: request, response: response)), origin)
    }

    /// `{"Name": "value"}`, or `{"Name": ["v1", "v2"]}` for repeated headers, in file order.
    private static func headers(_ value: JSONValue?, field: String) throws -> [CassetteHeader] {
        guard let value, value != .null else { return [] }
        guard case .object(let members) = value else {
            throw ImportFieldFailure(field: field, found: Self.describe(value))
        }
        var headers: [CassetteHeader] = []
        for (name, item) in members.sorted(by: { $0.key.lowercased() < $1.key.lowercased() }) {
            switch item {
            case .string(let text): headers.append(CassetteHeader(name, text))
            case .array(let items):
                for element in items {
                    guard let text = element.stringValue else { throw ImportFieldFailure(field: "\(field).\(name)", found: Self.describe(element)) }
                    headers.append(CassetteHeader(name, text))
                }
            default: throw ImportFieldFailure(field: "\(field).\(name)", found: Self.describe(item))
            }
        }
        return headers
    }

    private static func body(_ value: JSONValue?, headers: [CassetteHeader], field: String) throws -> ImportedBody? {
        guard let value, value != .null else { return nil }
        let contentType = headers.first(named: "content-type")?.lowercased() ?? ""
        let isJSON = contentType.contains("json")
        switch value {
        case .string(let text):
            if ResponseStreamKind.prefersBinary(contentType: contentType, contentEncoding: headers.first(named: "content-encoding")) {
                guard let bytes = Data(base64Encoded: text) else { throw ImportFieldFailure(field: field, found: "a binary body that is not valid base64") }
                return ImportedBody(bytes: bytes)
            }
            return ImportedBody(bytes: Data(text.utf8))
        case .array(let lines) where !isJSON && Self.isLines(value):
            // A text body the test proxy stored line by line.
            return ImportedBody(bytes: Data(lines.compactMap(\.stringValue).joined(separator: "\n").utf8))
        case .object, .array:
            guard isJSON else { throw ImportFieldFailure(field: field, found: "a parsed JSON body for content type \(contentType.isEmpty ? "(none)" : contentType)") }
            return ImportedBody(bytes: value.encodedData(), reserialized: true)
        default:
            throw ImportFieldFailure(field: field, found: Self.describe(value))
        }
    }

    private static func isLines(_ value: JSONValue) -> Bool {
        guard case .array(let items) = value else { return false }
        return items.allSatisfy { $0.stringValue != nil }
    }

    private static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: "missing"
        case .string(let text)?: "found `\(text.prefix(40))`"
        case .int(let number)?: "found \(number)"
        case .double(let number)?: "found \(number)"
        case .bool(let flag)?: "found \(flag)"
        case .array?: "found a list"
        case .object?: "found an object"
        }
    }
}
