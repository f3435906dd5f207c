import Gateway
import Testing

/// The store's query timeout holds even for an operation that ignores cancellation, as a
/// postgres-nio query on the wire does.
@Suite("operation deadline")
struct OperationDeadlineTests {
    struct TimedOut: Error {}

    @Test("an operation that ignores cancellation still ends its caller at the timeout")
    func ignoresCancellation() async throws {
        let gate = Gate()  // `pass()` ignores cancellation
        let started = ContinuousClock.now
        await #expect(throws: TimedOut.self) {
            try await OperationDeadline.run(timeout: .milliseconds(200), timedOut: { TimedOut() }) {
                await gate.pass()
                return 1
            }
        }
        // Before, a task group waited for the cancelled operation: for ever here.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(gate.entered == 1)
        gate.open()
    }

    @Test("a result in time is returned, and an error in time is the operation's own")
    func inTime() async throws {
        let value = try await OperationDeadline.run(timeout: .seconds(30), timedOut: { TimedOut() }) { 42 }
        #expect(value == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await OperationDeadline.run(timeout: .seconds(30), timedOut: { TimedOut() }) { () async throws -> Int in throw Refused() }
        }
    }

    @Test("the caller's cancellation ends the wait at once, the operation still stuck")
    func callerCancelled() async throws {
        let gate = Gate()
        let caller = Task {
            try await OperationDeadline.run(timeout: .seconds(60), timedOut: { TimedOut() }) {
                await gate.pass()
                return 1
            }
        }
        #expect(try await gate.waitUntilEntered(1))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        gate.open()
    }
}
