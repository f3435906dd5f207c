import Foundation
import Recorder

/// The cassette importers (public captures in other tools' formats) and the matcher replay uses.
enum CassetteTargets {
    /// VCR.py, Ruby VCR and go-vcr YAML: converts or throws.
    static func yamlImporter(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        _ = try? CassetteImporter().convert(yaml: text)
    }

    /// The Azure SDK test proxy's JSON recordings, and our own cassette JSON: converts or throws.
    static func jsonImporter(_ bytes: [UInt8]) {
        let data = Data(bytes)
        if AzureTestProxyImporter.recognises(data) { _ = try? AzureTestProxyImporter().convert(data) }
        _ = try? Cassette.decode(data)
    }

    /// A cassette from the input (ours, or imported); every recorded request must match itself,
    /// and a request made from the input's bytes (first line: `METHOD path`, the rest: body) is
    /// compared with each recorded one, with and without ignored fields, never crashing.
    static func matcher(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let recorded: [CassetteRequest]
        if let cassette = try? Cassette.decode(data) {
            recorded = cassette.interactions.map(\.request)
        } else {
            recorded = [CassetteRequest(method: "POST", path: "/v1/chat/completions?x=1", body: CassetteBody(bytes: #"{"model":"m","stream":true}"#.utf8))]
        }
        var received = CassetteRequest(method: "POST", path: "/v1/chat/completions", body: CassetteBody(bytes: bytes))
        if let (line, rest) = splitFirstLine(bytes) {
            let parts = line.split(separator: " ", maxSplits: 1)
            received = CassetteRequest(
                method: parts.first.map(String.init) ?? "", path: parts.count > 1 ? String(parts[1]) : "/", body: CassetteBody(bytes: rest))
        }
        let matchers = [
            CassetteMatcher(),
            CassetteMatcher(ignoredFields: ["stream_options", "metadata.user_id", "messages.content", "a.b.c"], matchQuery: false, checksCredentialHeaders: true),
        ]
        for matcher in matchers {
            for request in recorded.prefix(16) {
                let own = matcher.differences(request, recorded: request)
                precondition(own.isEmpty, "a recorded request does not match itself: \(own)")
                _ = matcher.differences(received, recorded: request)
                _ = matcher.differences(request, recorded: received)
            }
        }
    }
}
