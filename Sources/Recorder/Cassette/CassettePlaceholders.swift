import Foundation

/// Placeholders other recorders leave where a value was scrubbed or configurable —
/// `<GOOGLE_CLOUD_PROJECT>` in a path, Ruby VCR's `<GPUSTACK_API_BASE>` in a URL — and their
/// binding at replay (`--bind NAME=VALUE`), so such a capture can be replayed as a real client
/// would send it. archestra's own `<redacted>` is never a placeholder to bind.
package enum CassettePlaceholders {
    /// `<NAME>`: capitals, digits and underscores, as recorders write them.
    private static let pattern = try! NSRegularExpression(pattern: "<([A-Z][A-Z0-9_]*)>")

    /// The placeholder names in `text`, in order of first appearance.
    package static func names(in text: String) -> [String] {
        var seen: [String] = []
        for match in Self.pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let name = String(text[range])
            if !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    /// The placeholders left in the request lines of `cassette` (paths and text bodies): those a
    /// replay must bind for a client's request to match.
    package static func unbound(in cassette: Cassette) -> [String] {
        var names: [String] = []
        for interaction in cassette.interactions {
            var texts = [interaction.request.path]
            if let body = interaction.request.body, body.encoding == .utf8 { texts.append(body.data) }
            for name in texts.flatMap(Self.names(in:)) where !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `cassette` with every `<NAME>` in `bindings` replaced by its value: in paths, header values
    /// and text bodies and frames of both requests and responses.
    package static func bind(_ bindings: [String: String], in cassette: Cassette) -> Cassette {
        guard !bindings.isEmpty else { return cassette }
        func replace(_ text: String) -> String {
            guard text.contains("<") else { return text }
            var text = text
            for (name, value) in bindings { text = text.replacingOccurrences(of: "<\(name)>", with: value) }
            return text
        }
        func replace(_ body: CassetteBody) -> CassetteBody {
            guard body.encoding == .utf8 else { return body }
            var body = body
            body.data = replace(body.data)
            return body
        }
        var result = cassette
        result.interactions = cassette.interactions.map { interaction in
            var interaction = interaction
            interaction.request.path = replace(interaction.request.path)
            interaction.request.headers = interaction.request.headers.map { CassetteHeader($0.name, replace($0.value)) }
            interaction.request.body = interaction.request.body.map(replace)
            interaction.response.headers = interaction.response.headers.map { CassetteHeader($0.name, replace($0.value)) }
            interaction.response.body = interaction.response.body.map(replace)
            interaction.response.stream = interaction.response.stream?.map { CassetteFrame(offsetMs: $0.offsetMs, body: replace($0.body)) }
            return interaction
        }
        return result
    }

    /// Parses `NAME=VALUE` arguments.
    package static func bindings(parsing arguments: [String]) throws(CassettePlaceholderError) -> [String: String] {
        var bindings: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), !argument[..<equals].isEmpty else {
                throw CassettePlaceholderError(message: "--bind \(argument): expected NAME=VALUE")
            }
            let name = String(argument[..<equals])
            guard Self.names(in: "<\(name)>") == [name] else {
                throw CassettePlaceholderError(message: "--bind \(name): a placeholder name is capitals, digits and underscores, as in <GOOGLE_CLOUD_PROJECT>")
            }
            bindings[name] = String(argument[argument.index(after: equals)...])
        }
        return bindings
    }

    /// Reads a bindings file: `NAME=VALUE` per line; blank lines and `#` comments skipped.
    package static func bindings(file path: String?) throws(CassettePlaceholderError) -> [String: String] {
        guard let path else { return [:] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CassettePlaceholderError(message: "cannot read the bindings file \(path)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return try Self.bindings(parsing: lines.filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// The hint a miss report gives when placeholders are left in what was recorded.
    package static func hint(for names: [String]) -> String? {
        guard !names.isEmpty else { return nil }
        return "the recording holds placeholder(s) \(names.map { "<\($0)>" }.joined(separator: ", ")): bind them with "
            + names.map { "--bind \($0)=VALUE" }.joined(separator: " ")
    }
}

package struct CassettePlaceholderError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { self.message }
}
