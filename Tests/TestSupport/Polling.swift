/// Checks `condition` every `interval`, at most `attempts` times; returns whether it held.
///
/// For state another process or task reaches in its own time (a socket closed, a record written):
/// the test waits exactly as long as that takes, up to a bound, instead of sleeping a guess.
package func poll(
    attempts: Int = 500,
    every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return false
}
