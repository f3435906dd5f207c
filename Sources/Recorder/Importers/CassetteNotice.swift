import Foundation

/// Writes `Cassettes/NOTICE`: the attribution the licences of converted captures ask for.
///
/// The notice is regenerated from the provenance of every cassette under its folder, so it
/// can never drift from the cassettes actually committed, and re-running an import is idempotent.
package enum CassetteNotice {
    /// Regenerates `<root>/NOTICE` from the converted cassettes found under `root`.
    package static func regenerate(inDirectory root: String) throws {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        var sources: [String: (license: String, files: [String])] = [:]
        let enumerator = FileManager.default.enumerator(at: rootURL, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json", let cassette = try? Cassette.load(from: url.path) else { continue }
            let provenance = cassette.provenance
            guard provenance.kind == .converted, let repository = provenance.sourceRepository else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(rootURL.path.count + 1))
            var origin = relative
            if let path = provenance.sourcePath {
                origin += " <- \(path)"
                if let commit = provenance.sourceCommit { origin += " @ \(commit)" }
            }
            var entry = sources[repository] ?? (provenance.license ?? "licence not recorded", [])
            entry.files.append(origin)
            sources[repository] = entry
        }
        var text = """
            Cassettes converted from public captures
            ========================================

            The cassettes below were converted by `archestra cassette import` from HTTP captures
            published in these repositories, under the licences named. Those licences ask for
            attribution; this file gives it. Each cassette's `provenance` holds the same facts.
            Generated; do not edit by hand.

            """
        for repository in sources.keys.sorted() {
            guard let entry = sources[repository] else { continue }
            text += "\n\(repository) (https://github.com/\(repository)) — \(entry.license)\n"
            for file in entry.files.sorted() {
                text += "  \(file)\n"
            }
        }
        try AtomicFileWriter.write(Data(text.utf8), to: rootURL.appendingPathComponent("NOTICE").path)
    }
}
