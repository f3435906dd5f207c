import Foundation
import Proxy
import Recorder
import Testing

/// One committed cassette file, as a test argument.
struct CommittedCassetteFile: Sendable, CustomTestStringConvertible {
    /// The provider folder it sits in, which is also the proxy's route segment.
    let provider: String
    /// Path below `Cassettes/`, e.g. `openai/chat-tools.go-vcr.json`.
    let relativePath: String
    let url: URL

    var testDescription: String { self.relativePath }
}

/// The `Cassettes/` folder of this repository and the cassettes in it, found at test time so that
/// a cassette added to a provider folder is replayed without touching the tests.
enum CommittedCassettes {
    /// `Tests/EndToEndTests/Support/<this file>` → the package root → `Cassettes/`.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Cassettes", isDirectory: true)

    /// The values for placeholders other recorders left, shared with `scripts/test`.
    static func placeholderBindings() throws -> [String: String] {
        try CassettePlaceholders.bindings(file: Self.directory.appendingPathComponent("placeholder-bindings.txt").path)
    }

    /// Provider folders under `Cassettes/` whose name is a provider the proxy serves.
    static func providerFolders() -> [String] {
        let known = Set(ProviderCatalog.standard.declarations.map(\.id))
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: Self.directory.path)) ?? []
        return entries.filter { entry in
            var isDirectory: ObjCBool = false
            let path = Self.directory.appendingPathComponent(entry).path
            return known.contains(entry) && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// Every `*.json` directly inside a provider folder the proxy serves, sorted by path.
    static func files() -> [CommittedCassetteFile] {
        Self.providerFolders().flatMap { provider in
            let folder = Self.directory.appendingPathComponent(provider, isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".json") }.sorted().map { name in
                CommittedCassetteFile(provider: provider, relativePath: "\(provider)/\(name)", url: folder.appendingPathComponent(name))
            }
        }
    }
}
