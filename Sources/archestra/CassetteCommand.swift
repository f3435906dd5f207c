import ArgumentParser
import CassetteTesting
import Foundation
import Recorder

/// `archestra cassette`: work with cassette files.
struct CassetteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Work with cassette files.",
        subcommands: [Import.self, Test.self, Lint.self, Diff.self]
    )
}

extension CassetteCommand {
    /// `archestra cassette import`: converts VCR.py, Ruby VCR and go-vcr YAML cassettes.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert VCR.py, Ruby VCR 6 and go-vcr v4 YAML cassettes, Azure SDK test-proxy JSON recordings and raw-chunk fixtures into archestra cassettes.",
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
        @Option(help: "Raw-chunk fixtures (*.chunks.txt): the request path the stream answers, e.g. /v1/messages.") var path: String?
        @Option(help: "Raw-chunk fixtures: the request method.") var method: String = "POST"
        @Option(help: "Raw-chunk fixtures: a file with the request body (default {\"stream\":true}).") var requestBody: String?

        func validate() throws {
            if self.files.isEmpty { throw ValidationError("give at least one file to import") }
            if self.path != nil, !(self.path ?? "").hasPrefix("/") { throw ValidationError("--path must start with /") }
        }

        /// The request raw-chunk fixtures answer, when given.
        func chunkRequest() throws -> RawChunkRequest? {
            guard let path = self.path else { return nil }
            let body = try self.requestBody.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            return RawChunkRequest(method: self.method, path: path, body: body)
        }

        func run() async throws {
            try FileManager.default.createDirectory(atPath: self.out, withIntermediateDirectories: true)
            let importer = CassetteImporter(
                overrides: CassetteProvenanceOverrides(provider: self.provider, source: self.source, license: self.license)
            )
            for file in self.files {
                let cassette = try importer.importFile(at: file, chunkRequest: try self.chunkRequest())
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
            if RawChunkImporter.isChunkFile(base) { return String(base.dropLast(".txt".count)) + ".json" }
            if base.hasSuffix(".json") { return base }  // an Azure test-proxy recording keeps its name
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
            let files = try CassetteFileList.expand(self.paths)
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
    /// `archestra cassette test`: the CI runner.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay cassettes through archestra serve and check the client gets exactly what was recorded.",
            discussion: """
                For each cassette (*.json below the given folders): a replay server serves its \
                upstream leg, an in-process `archestra serve` is pointed at it, every recorded \
                request is sent to the proxy as a client would, and the answer is compared with \
                the recording: status, the headers clients rely on, the body byte for byte, a \
                stream's events one by one. A recorded request the proxy never sent upstream fails \
                too. The provider is the cassette's folder (Cassettes/openai/…), else its \
                provenance, else --provider. Exits 1 if any cassette fails.
                """
        )

        @Argument(help: "Cassette files or folders (searched recursively for *.json).") var paths: [String]
        @Option(help: "The provider route to replay through, for cassettes outside a provider folder.") var provider: String?
        @Option(help: "Write a JUnit XML report here, for CI systems.") var junit: String?
        @Option(name: .customLong("bind"), help: "NAME=VALUE: replace the placeholder <NAME> another recorder left in the cassettes. Repeatable.")
        var bindings: [String] = []
        @Option(help: "A file of NAME=VALUE lines (# comments), bound like --bind; --bind wins.") var bindFile: String?

        func validate() throws {
            if self.paths.isEmpty { throw ValidationError("give at least one cassette file or folder") }
            do {
                _ = try CassettePlaceholders.bindings(parsing: self.bindings)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let files = try CassetteFileList.expand(self.paths)
            guard !files.isEmpty else { throw ValidationError("no cassette (*.json) found in \(self.paths.joined(separator: " "))") }
            let bindings = try CassettePlaceholders.bindings(file: self.bindFile).merging(CassettePlaceholders.bindings(parsing: self.bindings)) { _, flag in flag }
            let progress = TerminalProgress(total: files.count)
            var results: [CassetteTestResult] = []
            for file in files {
                progress.show(file)
                let result = await CassetteTestRunner.test(file: file, providerOverride: self.provider, bindings: bindings)
                results.append(result)
                progress.clear()
                let summary = "\(result.interactions) interaction(s), \(CassetteJUnitReport.seconds(result.duration)) s"
                if result.passed {
                    print("✔ \(file) (\(summary))")
                } else {
                    print("✘ \(file) (\(summary))")
                    for failure in result.failures.prefix(5) { print("    \(failure)") }
                    if result.failures.count > 5 { print("    … \(result.failures.count - 5) more") }
                }
            }
            print(CassetteTestSummary.table(results))
            if let junit {
                try Data(CassetteJUnitReport.xml(for: results).utf8).write(to: URL(fileURLWithPath: junit))
                print("JUnit report: \(junit)")
            }
            if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
        }
    }
}

/// The summary `archestra cassette test` ends with: per provider, cassettes passed and failed.
enum CassetteTestSummary {
    static func table(_ results: [CassetteTestResult]) -> String {
        var rows: [(provider: String, passed: Int, failed: Int)] = []
        for result in results {
            let provider = result.provider ?? "(none)"
            if let index = rows.firstIndex(where: { $0.provider == provider }) {
                if result.passed { rows[index].passed += 1 } else { rows[index].failed += 1 }
            } else {
                rows.append((provider, result.passed ? 1 : 0, result.passed ? 0 : 1))
            }
        }
        rows.sort { $0.provider < $1.provider }
        let width = max(8, rows.map(\.provider.count).max() ?? 0)
        func pad(_ text: String) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = ["", "\(pad("provider"))  passed  failed"]
        for row in rows {
            lines.append("\(pad(row.provider))  \(String(format: "%6d", row.passed))  \(String(format: "%6d", row.failed))")
        }
        let passed = results.filter(\.passed).count
        lines.append("\(pad("total"))  \(String(format: "%6d", passed))  \(String(format: "%6d", results.count - passed))")
        lines.append("cassette test: \(results.count) cassette(s), \(results.count - passed) failed")
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress indicator on a terminal (`[12/79] Cassettes/openai/chat.json`), redrawn
/// in place; nothing at all when standard output is a file or a CI log.
struct TerminalProgress {
    let total: Int
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private let counter = Counter()

    init(total: Int) {
        self.total = total
    }

    private final class Counter: @unchecked Sendable {
        var value = 0
    }

    func show(_ item: String) {
        self.counter.value += 1
        guard self.isTerminal else { return }
        FileHandle.standardOutput.write(Data("\u{1B}[2K\r[\(self.counter.value)/\(self.total)] \(item)".utf8))
    }

    func clear() {
        guard self.isTerminal else { return }
        FileHandle.standardOutput.write(Data("\u{1B}[2K\r".utf8))
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

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
