package import Foundation

/// One secret-shaped value found in a cassette. Never holds the value itself: only where it is,
/// what shape it has and a masked preview, so the report can be printed in CI logs.
package struct CassetteLintFinding: Sendable, Hashable, CustomStringConvertible {
    /// e.g. `interactions[2].request.headers.authorization`
    package var location: String
    package var kind: String
    /// The first four characters and the length, e.g. `sk-p… (51 chars)`.
    package var preview: String

    package var description: String { "\(self.location): \(self.kind) \(self.preview)" }
}

/// `archestra cassette lint`: fails on secret-shaped values left in a cassette outside the
/// redaction placeholders (``SecretPattern``), wherever they are: the path and query, header
/// values, bodies and stream frames, text or base64.
///
/// A cassette recorded by archestra is redacted as it is written (``CassetteRedactor``); the
/// linter is the check for everything else: imported captures, hand edits, a redactor gap.
package struct CassetteLinter: Sendable {
    /// Values matching any of these are accepted (known fakes a project's tests rely on).
    package var allowed: [NSRegularExpression]
    /// Headers whose whole value is a secret, from the redactor: any value but a placeholder is
    /// a finding whatever its shape.
    private let secretHeaders = CassetteRedactor().secretHeaders

    package init(allowed: [NSRegularExpression] = []) {
        self.allowed = allowed
    }

    package func findings(in cassette: Cassette) -> [CassetteLintFinding] {
        var findings: [CassetteLintFinding] = []
        for (index, interaction) in cassette.interactions.enumerated() {
            let prefix = "interactions[\(index)]"
            let request = interaction.request
            findings += self.scan(request.path, at: "\(prefix).request.path")
            findings += self.scan(headers: request.headers, at: "\(prefix).request.headers")
            if let body = request.body { findings += self.scan(Self.text(of: body), at: "\(prefix).request.body") }
            let response = interaction.response
            findings += self.scan(headers: response.headers, at: "\(prefix).response.headers")
            if let body = response.body { findings += self.scan(Self.text(of: body), at: "\(prefix).response.body") }
            for (frameIndex, frame) in (response.stream ?? []).enumerated() {
                findings += self.scan(Self.text(of: frame.body), at: "\(prefix).response.stream[\(frameIndex)]")
            }
        }
        return findings
    }

    private func scan(headers: [CassetteHeader], at location: String) -> [CassetteLintFinding] {
        headers.flatMap { header -> [CassetteLintFinding] in
            let here = "\(location).\(header.name.lowercased())"
            if self.secretHeaders.contains(header.name.lowercased()), !SecretPattern.isPlaceholder(header.value), !self.isAllowed(header.value) {
                return [Self.finding(header.value, kind: "secret header value", at: here)]
            }
            return self.scan(header.value, at: here)
        }
    }

    private func scan(_ text: String, at location: String) -> [CassetteLintFinding] {
        var seen = Set<String>()
        var findings: [CassetteLintFinding] = []
        for pattern in SecretPattern.all {
            for value in pattern.values(in: text) where !self.isAllowed(value) && seen.insert(value).inserted {
                findings.append(Self.finding(value, kind: pattern.kind, at: location))
            }
        }
        return findings
    }

    private func isAllowed(_ value: String) -> Bool {
        let range = NSRange(value.startIndex..., in: value)
        return self.allowed.contains { $0.firstMatch(in: value, range: range) != nil }
    }

    private static func finding(_ value: String, kind: String, at location: String) -> CassetteLintFinding {
        CassetteLintFinding(location: location, kind: kind, preview: "\(value.prefix(4))… (\(value.count) chars)")
    }

    /// Text bodies as they are; binary ones (event-stream, gzip) decoded leniently, since the JSON
    /// payloads inside an AWS event stream are plain text between binary headers.
    private static func text(of body: CassetteBody) -> String {
        switch body.encoding {
        case .utf8: body.data
        case .base64: String(decoding: body.inflatedBytes, as: UTF8.self)
        }
    }
}
