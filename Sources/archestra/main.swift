import ArgumentParser
import NIOCore
import NIOPosix

// Run Swift Concurrency on NIO's event loops. Every proxied request hops between sockets and
// async code several times; on the default executor each hop is a thread switch, which on a small
// machine costs more than the proxying itself. This must happen before any task is created, which
// is why the entry point is this file rather than `@main`.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

// What `@main` on an `AsyncParsableCommand` does, inside an async function so that the async
// `run()` overload is the one chosen.
func runArchestra() async {
    do {
        var command = try Archestra.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        Archestra.exit(withError: error)
    }
}

await runArchestra()
