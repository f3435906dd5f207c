import ArgumentParser

// Swift Concurrency runs on its default executor, in every build. This file used to ask SwiftNIO
// to run it on NIO's event loops instead; NIO finds the runtime's hook with dlsym, which finds
// nothing in the static release binary, so only debug builds (and so the tests) ran on the loops.
// Linking the hook so that the release binary did too measured no gain for the proxy
// (docs/benchmarks.md, "Which executor"), and on the loops any blocking call in async code would
// stall every socket of its loop. So tests and production now run alike.

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
