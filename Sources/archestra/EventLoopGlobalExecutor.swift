import CConcurrencyHook
import NIOCore
import NIOPosix

/// Swift Concurrency's global executor, run on NIO's singleton event loops — the loops that
/// serve the proxy's and the emulators' connections and run the upstream HTTP client.
///
/// Every proxied request hops between sockets and async code several times, and for a stream
/// once per event. On the default executor (Dispatch's worker threads) each hop is a thread
/// switch, which on a small machine costs more than the proxying itself: a job enqueued from an
/// event loop runs on that loop, so a request moves between its socket and its async code
/// without leaving the thread.
///
/// SwiftNIO's own installer (`NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`)
/// finds the runtime's hook with `dlsym`, which finds nothing in a binary linked with
/// `--static-swift-stdlib` (the hook is not exported from it): the release binary silently ran
/// on Dispatch while debug builds ran on the loops. This links to the hook instead
/// (``CConcurrencyHook``) and enqueues the way NIO's installer does.
enum EventLoopGlobalExecutor {
    /// The singleton group's loops as executors, cast once rather than per job.
    nonisolated(unsafe) private static var loops: [any NIOSerialEventLoopExecutor] = []

    /// Whether ``install()`` took over the global executor (logged by ``ServiceGroupRunner``).
    nonisolated(unsafe) private(set) static var isInstalled = false

    /// Installs the hook. Call once, before any task is created.
    static func install() {
        var loops: [any NIOSerialEventLoopExecutor] = []
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            guard let executor = loop as? any NIOSerialEventLoopExecutor else { return }
            loops.append(executor)
        }
        guard !loops.isEmpty else { return }
        Self.loops = loops
        Self.isInstalled = archestra_install_global_enqueue_hook { job in
            EventLoopGlobalExecutor.enqueue(unsafeBitCast(job, to: UnownedJob.self))
        }
    }

    private static func enqueue(_ job: UnownedJob) {
        // `any()` is sticky: on one of the group's loops it returns that loop, so a job enqueued
        // from a loop stays on its thread; from elsewhere it goes round the loops.
        let chosen = MultiThreadedEventLoopGroup.singleton.any()
        for loop in Self.loops where loop === chosen {
            loop.enqueue(ExecutorJob(job))
            return
        }
        Self.loops[0].enqueue(ExecutorJob(job))
    }
}
