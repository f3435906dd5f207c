import Foundation

/// Reads provenance from an `INDEX.md` table like the one in `shared/real-traffic/`, whose rows
/// start with the file's relative path in backticks and name the source as
/// `owner/name @ commit: \`path\`` followed by the licence.
enum TrafficIndex {
    struct Row: Hashable {
        var provider: String?
        var repository: String
        var commit: String?
        var path: String?
        var license: String?
    }

    /// The row for `file` in the nearest `INDEX.md` in its folder or any folder above it.
    static func row(describing file: String) throws -> Row? {
        let fileURL = URL(fileURLWithPath: file).standardizedFileURL
        var directory = fileURL.deletingLastPathComponent()
        while directory.path != "/" && !directory.path.isEmpty {
            let index = directory.appendingPathComponent("INDEX.md")
            if FileManager.default.fileExists(atPath: index.path) {
                let relative = String(fileURL.path.dropFirst(directory.path.count + 1))
                let text = try String(contentsOf: index, encoding: .utf8)
                return self.row(for: relative, in: text)
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static func row(for relativePath: String, in text: String) -> Row? {
        let prefix = "| `\(relativePath)` |"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        // | path | provider | API | streaming | tool calls | status | source | license | format |
        guard cells.count >= 10 else { return nil }
        let source = self.parseSource(cells[7])
        return Row(
            provider: cells[2].isEmpty ? nil : cells[2],
            repository: source.repository,
            commit: source.commit,
            path: source.path,
            license: cells[8].isEmpty ? nil : cells[8]
        )
    }

    /// Parses `owner/name @ commit: \`path\`` (commit and path optional).
    static func parseSource(_ text: String) -> (repository: String, commit: String?, path: String?) {
        guard let at = text.range(of: " @ ") else { return (text.trimmingCharacters(in: .whitespaces), nil, nil) }
        let repository = text[..<at.lowerBound].trimmingCharacters(in: .whitespaces)
        let rest = text[at.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return (repository, rest.trimmingCharacters(in: .whitespaces), nil) }
        let commit = rest[..<colon].trimmingCharacters(in: .whitespaces)
        let path = rest[rest.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " `"))
        return (repository, commit, path.isEmpty ? nil : path)
    }
}
