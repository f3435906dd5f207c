import ArgumentParser

// Placeholder until this subcommand is wired; replaced before it is claimed done.
struct Mock: AsyncParsableCommand {
    func run() async throws { throw ValidationError("not wired yet") }
}
