import Foundation
import Synchronization

/// Counts failed gateway-credential checks (`arch_` virtual keys, `llm_at_` tokens, OAuth client
/// secrets) per client address, and refuses an address that failed too often: GATEWAY.md's
/// limiter, 10 failures per 60 s by default, answered with 429 and `retry-after`.
///
/// A guessed key costs the attacker one of few tries per window, so brute force is hopeless even
/// though a miss is cheap for us. Only failures count; a client with a good key is never slowed.
/// The state is per process: with several replicas each allows the limit (issue 16 moves it into
/// the shared database). Memory is bounded: at most `maximumTrackedAddresses` windows are kept,
/// the oldest dropped first.
package final class FailedAuthenticationLimiter: Sendable {
    package let maximumFailures: Int
    package let window: Duration
    private let maximumTrackedAddresses: Int
    private let state = Mutex<[String: FailureWindow]>([:])

    private struct FailureWindow {
        var start: ContinuousClock.Instant
        var failures: Int
    }

    package init(maximumFailures: Int = 10, window: Duration = .seconds(60), maximumTrackedAddresses: Int = 100_000) {
        self.maximumFailures = maximumFailures
        self.window = window
        self.maximumTrackedAddresses = maximumTrackedAddresses
    }

    /// Whole seconds the address must wait before its next check is even looked at, or `nil`
    /// when it may try now.
    package func retryAfter(address: String, now: ContinuousClock.Instant = .now) -> Int? {
        self.state.withLock { windows in
            guard let window = windows[address] else { return nil }
            let elapsed = now - window.start
            if elapsed >= self.window {
                windows[address] = nil
                return nil
            }
            guard window.failures >= self.maximumFailures else { return nil }
            return Self.wholeSecondsRoundedUp(self.window - elapsed)
        }
    }

    /// Records one failed check from `address`.
    package func recordFailure(address: String, now: ContinuousClock.Instant = .now) {
        self.state.withLock { windows in
            if var window = windows[address], now - window.start < self.window {
                window.failures += 1
                windows[address] = window
                return
            }
            if windows.count >= self.maximumTrackedAddresses {
                // Expired windows first; if none, the oldest: an attacker spraying addresses
                // must not grow memory without bound.
                windows = windows.filter { now - $0.value.start < self.window }
                if windows.count >= self.maximumTrackedAddresses,
                    let oldest = windows.min(by: { $0.value.start < $1.value.start })?.key
                {
                    windows[oldest] = nil
                }
            }
            windows[address] = FailureWindow(start: now, failures: 1)
        }
    }

    private static func wholeSecondsRoundedUp(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
