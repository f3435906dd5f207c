package import Foundation
import Glibc
import Synchronization

/// A child process for tests: `posix_spawn` with every descriptor above standard error closed in
/// the child, and `waitpid` on a thread of its own, its result awaited.
///
/// Not Foundation's `Process`, whose Linux implementation learns of an exit when a socket it
/// hands the child is closed. A daemon the child starts (`pg_ctl start` starts PostgreSQL) keeps
/// that socket open, and so does any process spawned elsewhere in the runner that inherits it:
/// the exit is then never seen. With `waitUntilExit()` on a cooperative thread that parked a
/// thread for good, and on CI's 2 cores two of those stopped every test (the suite went silent
/// and CI timed out). Closing inherited descriptors here also keeps this runner's sockets, pipes
/// and files out of whatever the child leaves running.
package final class ChildProcess: Sendable {
    /// How the process ended.
    package enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    package let pid: pid_t
    private let state = Mutex(State())

    private struct State {
        var termination: Termination?
        var waiting: [CheckedContinuation<Termination, Never>] = []
    }

    /// Starts `executable` (a path) with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: the whole environment; `nil` inherits this process's.
    ///   - currentDirectory: where it starts; `nil` keeps this process's.
    ///   - standardInput: a file to read; `nil` is `/dev/null`.
    ///   - standardOutput: a file that receives standard output and, unless `standardError` is
    ///     given, standard error; `nil` discards them. Files, never pipes: nothing has to drain them.
    package init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil,
        standardInput: String? = nil, standardOutput: String? = nil, standardError: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        try Self.check(posix_spawn_file_actions_addopen(&actions, 0, standardInput ?? "/dev/null", O_RDONLY, 0), "open standard input")
        let output = standardOutput ?? "/dev/null"
        try Self.check(posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_APPEND, 0), "open standard output")
        if let standardError {
            try Self.check(posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_APPEND, 0), "open standard error")
        } else {
            try Self.check(posix_spawn_file_actions_adddup2(&actions, 1, 2), "redirect standard error")
        }
        try Self.check(GlibcExtensions.addCloseFrom(&actions, 3), "close inherited descriptors")
        if let currentDirectory {
            try Self.check(GlibcExtensions.addChangeDirectory(&actions, currentDirectory), "change directory")
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environmentStrings.forEach { free($0) } }
        var pid: pid_t = 0
        try Self.check(posix_spawn(&pid, executable, &actions, nil, argv, environmentStrings), "spawn \(executable)")
        self.pid = pid

        // Reaps the child: a blocking waitpid belongs on a thread no task needs.
        Thread { [self, pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7f
            let termination: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            let waiting = self.state.withLock { state in
                state.termination = termination
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume(returning: termination) }
        }.start()
    }

    /// Whether it has not exited yet.
    package var isRunning: Bool { self.state.withLock { $0.termination == nil } }

    /// Sends `signal` (SIGTERM unless told) if it is still running.
    package func terminate(_ signal: Int32 = SIGTERM) {
        if self.isRunning { kill(self.pid, signal) }
    }

    /// Returns once it has exited: at once if it already has.
    @discardableResult
    package func wait() async -> Termination {
        await withCheckedContinuation { continuation in
            let ended = self.state.withLock { state in
                if state.termination == nil { state.waiting.append(continuation) }
                return state.termination
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL, userInfo: [NSLocalizedDescriptionKey: "cannot \(what)"]) }
    }
}

/// glibc's `posix_spawn` file actions that its Swift module does not declare (GNU extensions,
/// glibc 2.29 and 2.34), looked up once.
private enum GlibcExtensions {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)(actions, lowest)
    }

    static func addChangeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return ENOSYS }
        return path.withCString { unsafeBitCast(symbol, to: AddChangeDirectory.self)(actions, $0) }
    }
}

/// What ``runTool(_:_:input:)`` saw.
package struct ToolRun: Sendable {
    package let termination: ChildProcess.Termination
    /// Standard output.
    package let output: Data
    /// Standard error, for failure messages.
    package let errors: String

    package var succeeded: Bool { self.termination == .exited(0) }
}

/// Runs `executable` with `input` on standard input and returns its standard output, both
/// through temporary files (a pipe written in full before it is read deadlocks once either side
/// passes the pipe's 64 KiB).
package func runTool(_ executable: String, _ arguments: [String], input: Data = Data()) async throws -> ToolRun {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputPath = directory.appendingPathComponent("stdin").path
    let outputPath = directory.appendingPathComponent("stdout").path
    let errorPath = directory.appendingPathComponent("stderr").path
    try input.write(to: URL(fileURLWithPath: inputPath))
    for path in [outputPath, errorPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
        throw CocoaError(.fileWriteUnknown)
    }
    let child = try ChildProcess(executable, arguments, standardInput: inputPath, standardOutput: outputPath, standardError: errorPath)
    let termination = await child.wait()
    return ToolRun(
        termination: termination, output: try Data(contentsOf: URL(fileURLWithPath: outputPath)),
        errors: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
}
