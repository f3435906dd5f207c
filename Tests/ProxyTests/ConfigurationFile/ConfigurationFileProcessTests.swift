import AsyncHTTPClient
import Foundation
import Glibc
import TestSupport
import Testing

/// `archestra serve --config` and `archestra healthcheck` as an operator runs them: the process
/// listens where the file says, a bad file stops the start with a message naming the key, and the
/// health check answers for the running process.
@Suite(.timeLimit(.minutes(2)))
struct ConfigurationFileProcessTests {
    static let secret = "sk-proj-PROCESSSECRET42"

    /// A scratch directory holding the YAML file (and the process's working files).
    final class Scratch: Sendable {
        let directory: URL
        init() throws {
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-config-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: self.directory) }

        func write(_ name: String, _ text: String) throws -> String {
            let path = self.directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return ProcessInfo.processInfo.environment["ARCHESTRA_BIN"] ?? root.appendingPathComponent(".build/debug/archestra").path
    }

    struct Launched {
        let process: ChildProcess
        let outputPath: String
        var output: String { String(decoding: FileManager.default.contents(atPath: self.outputPath) ?? Data(), as: UTF8.self) }
        @discardableResult
        func waitForExit() async -> ChildProcess.Termination { await self.process.wait() }
    }

    /// Starts `archestra <arguments>` in `scratch` with exactly `environment` (plus PATH).
    static func launch(_ arguments: [String], environment: [String: String], in scratch: Scratch) throws -> Launched {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the binary first: swift build")
        let outputPath = scratch.directory.appendingPathComponent("output-\(UUID().uuidString).log").path
        try #require(FileManager.default.createFile(atPath: outputPath, contents: nil))
        let process = try ChildProcess(
            Self.binary, arguments, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { given, _ in given },
            currentDirectory: scratch.directory.path, standardOutput: outputPath)
        return Launched(process: process, outputPath: outputPath)
    }

    /// The file every running test starts from: the port, no metrics port, an in-memory store.
    static func baseFile(port: Int) -> String {
        """
        # archestra serve --config
        ARCHESTRA_PORT: \(port)
        ARCHESTRA_METRICS_PORT: "off"
        ARCHESTRA_DATABASE_URL: "sqlite::memory:"
        ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS: 0
        """
    }

    @Test("serve --config listens on the file's port, proxies with the file's upstream and key, and healthcheck reports it healthy")
    func serveWithConfigFile() async throws {
        try await withUpstream(ServeProcessTests.chatUpstream) { upstreamPort in
            let scratch = try Scratch()
            let port = try freeLoopbackPort()
            let config = try scratch.write(
                "archestra.yaml",
                Self.baseFile(port: port) + "\nARCHESTRA_OPENAI_BASE_URL: http://127.0.0.1:\(upstreamPort)/v1\nARCHESTRA_CHAT_OPENAI_API_KEY: \(Self.secret)\n")
            let serve = try Self.launch(["serve", "--config", config], environment: [:], in: scratch)
            do {
                try await waitUntilHealthy(port: port, isRunning: { [process = serve.process] in process.isRunning })
                try await withTestClient { client in
                    let answer = try await client.execute(
                        openAIRequest("http://127.0.0.1:\(port)/v1/openai/chat/completions", json: ServeProcessTests.chatBody, key: nil), timeout: .seconds(10))
                    #expect(answer.status == .ok)
                    #expect(try await answer.bodyText().contains(#""object":"chat.completion""#))
                }
                let healthy = try Self.launch(["healthcheck", "--config", config], environment: [:], in: scratch)
                #expect(await healthy.waitForExit() == .exited(0))
                #expect(healthy.output.contains("healthy: http://127.0.0.1:\(port)/healthz"))
            } catch {
                serve.process.terminate()
                await serve.waitForExit()
                throw error
            }
            serve.process.terminate()
            #expect(await serve.waitForExit() == .exited(0))
            #expect(!serve.output.contains("PROCESSSECRET"))
        }
    }

    @Test("ARCHESTRA_CONFIG_FILE names the file, and ARCHESTRA_PORT in the environment wins over the file's port")
    func environmentWinsOverFile() async throws {
        let scratch = try Scratch()
        let filePort = try freeLoopbackPort()
        let environmentPort = try freeLoopbackPort()
        let config = try scratch.write("archestra.yaml", Self.baseFile(port: filePort))
        let serve = try Self.launch(["serve"], environment: ["ARCHESTRA_CONFIG_FILE": config, "ARCHESTRA_PORT": "\(environmentPort)"], in: scratch)
        do {
            try await waitUntilHealthy(port: environmentPort, isRunning: { [process = serve.process] in process.isRunning })
            #expect(serve.output.contains("http://127.0.0.1:\(environmentPort)"))
        } catch {
            serve.process.terminate()
            await serve.waitForExit()
            throw error
        }
        serve.process.terminate()
        #expect(await serve.waitForExit() == .exited(0))
    }

    @Test(
        "a bad file stops serve before it listens: non-zero exit, the file, line and key named, the secret not printed",
        arguments: [
            ("ARCHESTRA_PROT: 9000\n", "archestra.yaml:2: unknown key ARCHESTRA_PROT: did you mean ARCHESTRA_PORT?"),
            ("ARCHESTRA_PORT: 70000\n", "archestra.yaml:2: ARCHESTRA_PORT must be a whole number in 0...65535"),
            ("ARCHESTRA_HOST:\n  name: x\n", "archestra.yaml:2: ARCHESTRA_HOST takes one value, not a mapping"),
            ("ARCHESTRA_CHAT_OPENAI_API_KEY: \"\(secret)\n", "archestra.yaml:"),
        ])
    func badFileStopsTheStart(body: String, message: String) async throws {
        let scratch = try Scratch()
        let config = try scratch.write("archestra.yaml", "ARCHESTRA_CHAT_OPENAI_API_KEY: \(Self.secret)-first\n" + body)
        let serve = try Self.launch(["serve", "--config", config], environment: [:], in: scratch)
        let termination = await serve.waitForExit()
        #expect(termination != .exited(0))
        guard case .exited = termination else {
            Issue.record("ended by a signal: \(termination)")
            return
        }
        #expect(serve.output.contains(config.replacingOccurrences(of: "archestra.yaml", with: "") + message))
        #expect(!serve.output.contains("PROCESSSECRET"))
    }

    @Test("a missing file stops serve with the reason")
    func missingFile() async throws {
        let scratch = try Scratch()
        let serve = try Self.launch(["serve", "--config", "missing.yaml"], environment: [:], in: scratch)
        #expect(await serve.waitForExit() != .exited(0))
        #expect(serve.output.contains("cannot read the configuration file missing.yaml: no such file"))
    }

    @Test("healthcheck exits 1 when nothing answers on the port")
    func healthcheckFailsWithoutServer() async throws {
        let scratch = try Scratch()
        let port = try freeLoopbackPort()
        let probe = try Self.launch(["healthcheck", "--port", "\(port)", "--timeout", "2"], environment: [:], in: scratch)
        #expect(await probe.waitForExit() == .exited(1))
        #expect(probe.output.contains("unhealthy: http://127.0.0.1:\(port)/healthz did not answer"))
    }
}
