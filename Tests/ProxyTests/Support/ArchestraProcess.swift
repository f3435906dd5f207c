import AsyncHTTPClient
import Foundation
import Glibc
import TestSupport
import Testing

/// The built `archestra` binary run as a child process, as an operator runs it: for faults that
/// take the whole process down (an in-process server would take the test runner with it) and for
/// what the process prints.
///
/// The binary is `ARCHESTRA_BIN`, else `.build/debug/archestra` (`swift build` builds it).
struct ArchestraProcessRun: Sendable {
    /// Everything the process wrote to standard output and standard error.
    let output: String
    /// `.signalled` when the process died of a signal (a precondition failure is SIGILL).
    let termination: ChildProcess.Termination
}

/// A port that was free a moment ago: bound to port 0 on 127.0.0.1, then released. The child
/// process is given it with `--port`, because its output goes to a file (a pipe shared by
/// parallel tests can be held open by another test's child and never end).
func freeLoopbackPort() throws -> Int {
    let held = try RefusingPort()
    defer { held.close() }
    return held.port
}

/// The binary under test: `ARCHESTRA_BIN`, else `.build/debug/archestra`.
func archestraBinary() throws -> String {
    let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let binary = ProcessInfo.processInfo.environment["ARCHESTRA_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/archestra").path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build the binary first: swift build")
    return binary
}

/// Runs `archestra <arguments> --port <free port>` with exactly `environment`, waits for
/// `/healthz`, runs `body` with the port and a liveness probe, then sends SIGTERM and waits for the
/// process to exit. Everything the process printed is returned with its exit.
func runArchestra(
    _ arguments: [String],
    environment: [String: String],
    _ body: (_ port: Int, _ isRunning: @Sendable () -> Bool) async throws -> Void
) async throws -> ArchestraProcessRun {
    try await runArchestra(arguments, environment: environment) { (control: ArchestraProcessControl) in
        try await body(control.port, control.isRunning)
    }
}

/// What a test may do with the running process besides talking to it.
struct ArchestraProcessControl: Sendable {
    let port: Int
    /// The process's id, to read its `/proc` entry (open descriptors, memory).
    let pid: pid_t
    let isRunning: @Sendable () -> Bool
    /// Sends SIGTERM now (the run still waits for the exit after the body).
    let terminate: @Sendable () -> Void
}

/// ``runArchestra(_:environment:_:)`` whose body can also send SIGTERM mid-way.
func runArchestra(
    _ arguments: [String],
    environment: [String: String],
    _ body: (ArchestraProcessControl) async throws -> Void
) async throws -> ArchestraProcessRun {
    let binary = try archestraBinary()

    let port = try freeLoopbackPort()
    // Its own working directory: `serve` keeps its SQLite store there by default.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outputPath = directory.appendingPathComponent("output.log").path
    try #require(FileManager.default.createFile(atPath: outputPath, contents: nil))

    let process = try ChildProcess(
        binary, arguments + ["--port", "\(port)"],
        // Tests run many proxies at once: none takes the default metrics port unless the test asks.
        environment: environment.merging(["ARCHESTRA_METRICS_PORT": "off"]) { given, _ in given },
        currentDirectory: directory.path, standardOutput: outputPath)
    let isRunning: @Sendable () -> Bool = { process.isRunning }

    do {
        try await waitUntilHealthy(port: port, isRunning: isRunning)
        try await body(ArchestraProcessControl(port: port, pid: process.pid, isRunning: isRunning, terminate: { process.terminate() }))
    } catch {
        process.terminate()
        await process.wait()
        throw error
    }
    process.terminate()
    let termination = await process.wait()
    let printed = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
    return ArchestraProcessRun(output: printed, termination: termination)
}

/// Polls `/healthz` until it answers 200, for as long as the process runs (bounded by the test's
/// time limit): no sleeping, each attempt waits for the connection to be refused or answered.
func waitUntilHealthy(port: Int, isRunning: @Sendable () -> Bool) async throws {
    try await withTestClient { client in
        while isRunning() {
            if let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(2)),
                response.status == .ok
            {
                return
            }
            await Task.yield()
        }
        Issue.record("the process exited before /healthz answered 200")
    }
}
