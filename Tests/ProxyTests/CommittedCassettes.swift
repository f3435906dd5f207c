import Foundation

/// The cassettes committed under `Cassettes/` (real traffic, with its provenance), each parsed
/// as a JSON document, for tests that hold a fast path to the coder it stands in for on every
/// body and frame the real APIs sent.
enum CommittedCassettes {
    static func documents() throws -> [Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Cassettes")
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        return try enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
            .map { try JSONSerialization.jsonObject(with: Data(contentsOf: $0)) }
    }
}
