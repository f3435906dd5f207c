import ArgumentParser
import Foundation
import Logging
import Recorder

/// `archestra replay`: serves cassettes as if they were the upstream.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve recorded cassettes as an upstream, and report what was never played."
    )

    @Option(
        parsing: .upToNextOption,
        help: "Cassette files, or folders searched for *.json cassettes."
    )
    var cassette: [String]
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port: Int = 9300
    @Option(help: "Frame timing: recorded, instant, or xN (N times faster).") var timing: String = "recorded"
    @Option(help: "Dotted JSON body path left out of matching, e.g. metadata.user_id (repeatable).")
    var ignoreField: [String] = []
    @Flag(help: "Match paths without their query strings.") var ignoreQuery = false
    @Flag(help: "Require the credential headers the recording has (same auth scheme; values never compared).")
    var checkCredentials = false
    @Option(name: .customLong("bind"), help: "NAME=VALUE: replace the placeholder <NAME> another recorder left in the cassettes. Repeatable.")
    var bindings: [String] = []
    @Option(help: "A file of NAME=VALUE lines (# comments), bound like --bind; --bind wins.") var bindFile: String?
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if self.cassette.isEmpty { throw ValidationError("give at least one --cassette") }
        do {
            _ = try CassettePlaceholders.bindings(parsing: self.bindings)
        } catch {
            throw ValidationError(error.description)
        }
        if ReplayTiming(argument: self.timing) == nil {
            throw ValidationError("--timing must be recorded, instant or xN (e.g. x10)")
        }
    }

    func run() async throws {
        let files = try CassetteFileList.expand(self.cassette)
        let bindings = try CassettePlaceholders.bindings(file: self.bindFile).merging(CassettePlaceholders.bindings(parsing: self.bindings)) { _, flag in flag }
        let cassettes = try files.map { CassettePlaceholders.bind(bindings, in: try Cassette.load(from: $0)) }
        let logger = self.logging.makeLogger(label: "archestra.replay", environment: ProcessInfo.processInfo.environment)
        let host = self.host
        // The upstream leg is what is served; a two-leg cassette's client leg is not.
        let count = cassettes.reduce(0) { $0 + $1.interactions(on: .upstream).count }
        let server = CassetteReplayServer(
            cassettes: cassettes,
            host: host,
            port: self.port,
            timing: ReplayTiming(argument: self.timing) ?? .recorded,
            matcher: CassetteMatcher(
                ignoredFields: self.ignoreField,
                matchQuery: !self.ignoreQuery,
                checksCredentialHeaders: self.checkCredentials
            ),
            logger: logger,
            onServerRunning: { port in
                // Written unbuffered: scripts wait for this line to learn the port.
                let line = "archestra replay serving \(count) interaction(s) from \(files.count) cassette(s) on http://\(host):\(port)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        )
        // Open streams get 10 s to drain on SIGTERM/SIGINT before they are cancelled.
        try await ServiceGroupRunner.run([server], gracePeriod: .seconds(10), logger: logger)
        let unplayed = await server.unplayedReport()
        if unplayed.isEmpty {
            print("every recorded interaction was played")
        } else {
            print("\(unplayed.count) recorded interaction(s) were not played:")
            for item in unplayed {
                print("  \(files[item.cassetteIndex]) #\(item.interactionIndex): \(item.method) \(item.path)")
            }
        }
    }
}

/// Expands the cassette files and folders a command was given (`replay --cassette`, `cassette
/// test`, `cassette lint`) into the cassette files inside them, sorted.
enum CassetteFileList {
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such cassette: \(path)")
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
