import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

/// Reads the committed real captures in `<repo>/Cassettes/<provider>/*.json` (converted from
/// `shared/real-traffic`, provenance in `Cassettes/NOTICE`) as upstream stream messages.
enum CassetteSSEReader {
    /// The repository root, found from this file (through the symlinks of a private build).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every 200 response's stream text, in recorded order.
    static func streams(_ relativePath: String) throws -> [String] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Cassettes").appendingPathComponent(relativePath))
        let cassette = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let interactions = try #require(cassette["interactions"] as? [[String: Any]])
        return interactions.compactMap { interaction in
            guard let response = interaction["response"] as? [String: Any], response["status"] as? Int == 200,
                  let frames = response["stream"] as? [[String: Any]] else { return nil }
            return frames.compactMap { $0["data"] as? String }.joined()
        }
    }

    /// Every non-2xx response body of a cassette, with its status.
    static func errorBodies(_ relativePath: String) throws -> [(status: Int, body: Data)] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Cassettes").appendingPathComponent(relativePath))
        let cassette = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let interactions = try #require(cassette["interactions"] as? [[String: Any]])
        return interactions.compactMap { interaction in
            guard let response = interaction["response"] as? [String: Any], let status = response["status"] as? Int,
                  !(200..<300).contains(status), let body = response["body"] as? [String: Any],
                  let text = body["data"] as? String else { return nil }
            return (status, Data(text.utf8))
        }
    }

    /// SSE text split into messages (event name + joined data lines), as the proxy frames them.
    static func messages(_ stream: String) -> [UpstreamStreamMessage] {
        stream.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { block in
            var event: String?
            var data: [Substring] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("event:") { event = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("data:") { data.append(line.dropFirst(5).drop(while: { $0 == " " })) }
            }
            guard !data.isEmpty else { return nil }
            return UpstreamStreamMessage(event: event, data: Data(data.joined(separator: "\n").utf8))
        }
    }
}

/// Structural JSON comparison for golden tests: both sides parsed, so key order and spacing
/// do not matter but every key and value does.
enum StructuralJSON {
    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func parse(_ text: String) throws -> JSONValue {
        try parse(Data(text.utf8))
    }

    static func encoded(_ value: some Encodable) throws -> JSONValue {
        try parse(try TranslationJSON.encode(value))
    }
}
