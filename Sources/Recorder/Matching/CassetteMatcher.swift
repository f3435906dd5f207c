import Foundation
import WireFormats

/// Decides whether a received request is the one a recorded interaction answers.
///
/// Compared: the method, the path, the query (unless ``matchQuery`` is off) and the body. JSON
/// bodies are compared as JSON values, so key order and whitespace do not matter, and the
/// fields named in ``ignoredFields`` are left out of the comparison. Form-encoded bodies are
/// compared as forms (order and encoding aside, secrets by presence). Other bodies are compared
/// byte for byte. Headers are not compared, and neither are the values of secret query
/// parameters: signatures and tokens differ on every run.
package struct CassetteMatcher: Sendable {
    /// Dotted JSON paths left out of body comparison, e.g. `stream_options` or
    /// `metadata.user_id`. A segment that meets an array applies to every element.
    package var ignoredFields: [String]
    package var matchQuery: Bool
    /// Query parameters compared by presence only.
    package var secretQueryParameters: Set<String>
    /// Form body fields compared by presence only (lower-cased).
    package var secretFormFields: Set<String>
    /// When on, every credential header the recording carries (`authorization`, `x-api-key`, …)
    /// must be present in the request, and `authorization` must use the same scheme. Values are
    /// never compared: they are redacted in the cassette and differ on every run anyway.
    package var checksCredentialHeaders: Bool

    package init(ignoredFields: [String] = [], matchQuery: Bool = true, checksCredentialHeaders: Bool = false) {
        self.ignoredFields = ignoredFields
        self.matchQuery = matchQuery
        self.checksCredentialHeaders = checksCredentialHeaders
        let redactor = CassetteRedactor()
        self.secretQueryParameters = redactor.secretQueryParameters
        self.secretFormFields = redactor.secretQueryParameters.union(redactor.secretBodyFields.map { $0.lowercased() })
    }

    package func matches(_ received: CassetteRequest, recorded: CassetteRequest) -> Bool {
        self.differences(received, recorded: recorded).isEmpty
    }

    /// Every difference between the two requests; empty when they match.
    package func differences(_ received: CassetteRequest, recorded: CassetteRequest) -> [CassetteDifference] {
        var differences: [CassetteDifference] = []
        if received.method.uppercased() != recorded.method.uppercased() {
            differences.append(CassetteDifference(location: "method", recorded: recorded.method, received: received.method))
        }
        let (receivedPath, receivedQuery) = Self.split(received.path)
        let (recordedPath, recordedQuery) = Self.split(recorded.path)
        if receivedPath != recordedPath {
            differences.append(CassetteDifference(location: "path", recorded: recordedPath, received: receivedPath))
        }
        if self.matchQuery {
            differences += self.queryDifferences(receivedQuery, recorded: recordedQuery)
        }
        if self.checksCredentialHeaders {
            differences += Self.credentialDifferences(received.headers, recorded: recorded.headers)
        }
        let isForm = [received.headers, recorded.headers].contains { headers in
            headers.contains { $0.name.lowercased() == "content-type" && $0.value.lowercased().hasPrefix("application/x-www-form-urlencoded") }
        }
        differences += self.bodyDifferences(received.body?.bytes ?? Data(), recorded: recorded.body?.bytes ?? Data(), isForm: isForm)
        return differences
    }

    /// A score for choosing the nearest recorded request on a miss: lower is nearer.
    func distance(_ differences: [CassetteDifference]) -> Int {
        differences.reduce(0) { total, difference in
            switch difference.location {
            case "method": total + 1000
            case "path": total + 100
            default: total + 1
            }
        }
    }

    private static func credentialDifferences(_ received: [CassetteHeader], recorded: [CassetteHeader]) -> [CassetteDifference] {
        let redactor = CassetteRedactor()
        let names = redactor.secretHeaders.union(redactor.credentialHeaders)
        var differences: [CassetteDifference] = []
        var seen: Set<String> = []
        for header in recorded where names.contains(header.name.lowercased()) && seen.insert(header.name.lowercased()).inserted {
            let name = header.name.lowercased()
            guard let value = received.first(named: name) else {
                differences.append(CassetteDifference(location: "header.\(name)", recorded: "present", received: "(absent)"))
                continue
            }
            if redactor.credentialHeaders.contains(name) {
                let recordedScheme = Self.scheme(of: header.value)
                let receivedScheme = Self.scheme(of: value)
                if recordedScheme != receivedScheme {
                    differences.append(
                        CassetteDifference(
                            location: "header.\(name)",
                            recorded: "scheme \(recordedScheme ?? "(none)")",
                            received: "scheme \(receivedScheme ?? "(none)")"
                        )
                    )
                }
            }
        }
        return differences
    }

    private static func scheme(of value: String) -> String? {
        guard let space = value.firstIndex(of: " ") else { return nil }
        return value[..<space].lowercased()
    }

    private static func split(_ path: String) -> (String, String?) {
        guard let question = path.firstIndex(of: "?") else { return (path, nil) }
        return (String(path[..<question]), String(path[path.index(after: question)...]))
    }

    private func queryDifferences(_ received: String?, recorded: String?) -> [CassetteDifference] {
        self.parameterDifferences(received, recorded: recorded, location: "query", secrets: self.secretQueryParameters)
    }

    /// Form-encoded bodies (OAuth token exchanges) compared as forms, as queries are: parameter
    /// order and percent-encoding do not matter, and secret parameters (`client_secret`,
    /// `refresh_token`, …) are checked for presence only.
    private func formDifferences(_ received: String, recorded: String) -> [CassetteDifference] {
        self.parameterDifferences(received, recorded: recorded, location: "body", secrets: self.secretFormFields)
    }

    private func parameterDifferences(_ received: String?, recorded: String?, location: String, secrets: Set<String>) -> [CassetteDifference] {
        let receivedItems = Self.queryItems(received)
        let recordedItems = Self.queryItems(recorded)
        var differences: [CassetteDifference] = []
        for name in Set(receivedItems.keys).union(recordedItems.keys).sorted() {
            let receivedValues = receivedItems[name] ?? []
            let recordedValues = recordedItems[name] ?? []
            let isSecret = secrets.contains(name.lowercased())
            let same = isSecret ? receivedValues.count == recordedValues.count : receivedValues == recordedValues
            if !same {
                differences.append(
                    CassetteDifference(
                        location: "\(location).\(name)",
                        recorded: isSecret ? "\(recordedValues.count) value(s)" : Self.describe(recordedValues),
                        received: isSecret ? "\(receivedValues.count) value(s)" : Self.describe(receivedValues)
                    )
                )
            }
        }
        return differences
    }

    private static func describe(_ values: [String]) -> String {
        values.isEmpty ? "(absent)" : values.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    private static func queryItems(_ query: String?) -> [String: [String]] {
        guard let query, !query.isEmpty else { return [:] }
        var items: [String: [String]] = [:]
        for parameter in query.split(separator: "&") {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            items[name, default: []].append(value)
        }
        return items
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private func bodyDifferences(_ received: Data, recorded: Data, isForm: Bool) -> [CassetteDifference] {
        if received == recorded { return [] }
        if isForm, let receivedText = String(validating: received, as: UTF8.self), let recordedText = String(validating: recorded, as: UTF8.self) {
            return self.formDifferences(receivedText, recorded: recordedText)
        }
        if let receivedJSON = try? JSONValue(parsing: received), let recordedJSON = try? JSONValue(parsing: recorded) {
            let comparator = JSONDifferenceFinder(ignoredFields: self.ignoredFields)
            return comparator.differences(receivedJSON, recorded: recordedJSON, at: "body")
        }
        return [
            CassetteDifference(
                location: "body",
                recorded: Self.summary(of: recorded),
                received: Self.summary(of: received)
            )
        ]
    }

    private static func summary(of bytes: Data) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { return "\(bytes.count) binary bytes" }
        return text.count > 120 ? "\"\(text.prefix(120))…\" (\(bytes.count) bytes)" : "\"\(text)\""
    }
}
