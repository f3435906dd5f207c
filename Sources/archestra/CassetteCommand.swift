import ArgumentParser
import Foundation
import Recorder

/// `archestra cassette`: work with cassette files.
struct CassetteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Work with cassette files.",
        subcommands: [Import.self, Lint.self, Diff.self]
    )
}

extension CassetteCommand {
    /// `archestra cassette import`: converts VCR.py, Ruby VCR and go-vcr YAML cassettes.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert VCR.py, Ruby VCR 6 and go-vcr v4 YAML cassettes into archestra cassettes.",
            discussion: """
                Provenance is read from the INDEX.md row of each file when one exists above it; \
                --source, --license and --provider override it. The NOTICE file in the nearest \
                folder named Cassettes above --out (or in --out) is regenerated.
                """
        )

        @Argument(help: "YAML cassette files to convert.") var files: [String]
        @Option(help: "Folder to write the converted cassettes into.") var out: String
        @Option(help: "Provider name recorded in provenance.") var provider: String?
        @Option(help: "Source repository, as `owner/name` or `owner/name @ commit: path`.") var source: String?
        @Option(help: "Licence of the source repository, e.g. MIT.") var license: String?

        func validate() throws {
            if self.files.isEmpty { throw ValidationError("give at least one file to import") }
        }

        func run() async throws {
            try FileManager.default.createDirectory(atPath: self.out, withIntermediateDirectories: true)
            let importer = CassetteImporter(
                overrides: CassetteProvenanceOverrides(provider: self.provider, source: self.source, license: self.license)
            )
            for file in self.files {
                let cassette = try importer.importFile(at: file)
                let name = Self.outputName(for: file)
                let destination = (self.out as NSString).appendingPathComponent(name)
                try cassette.write(to: destination)
                let frames = cassette.interactions.reduce(0) { $0 + ($1.response.stream?.count ?? 0) }
                print("\(file) -> \(destination): \(cassette.interactions.count) interaction(s), \(frames) stream frame(s)")
            }
            let noticeRoot = Self.noticeRoot(for: self.out)
            try CassetteNotice.regenerate(inDirectory: noticeRoot)
            print("updated \((noticeRoot as NSString).appendingPathComponent("NOTICE"))")
        }

        /// `chat.go-vcr.yaml` becomes `chat.go-vcr.json`; the flavour suffix stays so two
        /// captures of the same scenario in different formats do not collide.
        static func outputName(for file: String) -> String {
            let base = (file as NSString).lastPathComponent
            for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) {
                return String(base.dropLast(suffix.count)) + ".json"
            }
            return base + ".json"
        }

        static func noticeRoot(for out: String) -> String {
            var url = URL(fileURLWithPath: out).standardizedFileURL
            let original = url
            while url.path != "/" {
                if url.lastPathComponent == "Cassettes" { return url.path }
                url = url.deletingLastPathComponent()
            }
            return original.path
        }
    }
}

extension CassetteCommand {
    /// `archestra cassette lint`: fails on secret-shaped values left in cassettes.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fail on secret-shaped values (provider keys, AWS key ids, JWTs, bearer and key= values) left in cassettes.",
            discussion: """
                Scans paths, header values, bodies and stream frames of every cassette (*.json) \
                in the given files and folders. Redaction placeholders (<redacted>, <API_KEY>, \
                REDACTED, xxxx) are not findings. Findings show where and what shape, never the \
                value. Exits 1 when anything is found, 2 when a file is not a cassette.
                """
        )

        @Argument(help: "Cassette files or folders (searched recursively for *.json).") var paths: [String]
        @Option(name: .customLong("allow"), help: "A regular expression of values to accept (a known fake key). Repeatable.")
        var allowed: [String] = []

        func validate() throws {
            if self.paths.isEmpty { throw ValidationError("give at least one cassette file or folder") }
            for pattern in self.allowed where (try? NSRegularExpression(pattern: pattern)) == nil {
                throw ValidationError("--allow \(pattern) is not a valid regular expression")
            }
        }

        func run() throws {
            let linter = CassetteLinter(allowed: self.allowed.compactMap { try? NSRegularExpression(pattern: $0) })
            let files = try CassetteFiles.find(in: self.paths)
            var findings = 0
            for file in files {
                let cassette: Cassette
                do {
                    cassette = try Cassette.load(from: file)
                } catch {
                    printError("\(file): \(error)")
                    throw ExitCode(2)
                }
                for finding in linter.findings(in: cassette) {
                    findings += 1
                    print("\(file): \(finding)")
                }
            }
            print("cassette lint: \(files.count) cassette(s), \(findings) finding(s)")
            if findings > 0 { throw ExitCode(1) }
        }
    }
}

extension CassetteCommand {
    /// `archestra cassette diff`: the drift detector.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the structure of two cassettes: did the provider change its API?",
            discussion: """
                Compares, interaction by interaction, the status, the content type, the JSON \
                body's fields and their types, and a stream's event kinds in order (runs \
                collapsed) with each kind's fields — not values, which change every run. Record \
                a fresh cassette of a scenario and diff it with the committed one. Exits 0 when \
                the shapes agree, 1 when they differ, 2 when a file is not a cassette.
                """
        )

        @Argument(help: "The older cassette.") var old: String
        @Argument(help: "The newer cassette.") var new: String
        @Option(name: .customLong("ignore"), help: "A JSON path not to compare (with everything under it), e.g. system_fingerprint. Repeatable.")
        var ignoredPaths: [String] = []

        func run() throws {
            let shapes = try [self.old, self.new].map { path in
                do {
                    return CassetteShape(try Cassette.load(from: path))
                } catch {
                    printError("\(path): \(error)")
                    throw ExitCode(2)
                }
            }
            let differences = CassetteDrift(ignoredPaths: self.ignoredPaths).differences(from: shapes[0], to: shapes[1])
            for line in differences { print(line) }
            print("cassette diff: \(differences.isEmpty ? "same shape" : "\(differences.count) difference(s)")")
            if !differences.isEmpty { throw ExitCode(1) }
        }
    }
}

/// The cassette files named on a command line: files as given, folders searched recursively
/// for `*.json`, sorted so output is stable.
enum CassetteFiles {
    static func find(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path) does not exist")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasSuffix(".json") { found.append((path as NSString).appendingPathComponent(relative)) }
            }
            files += found.sorted()
        }
        return files
    }
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
