import Dispatch
import HummingbirdBcrypt

/// bcrypt off Swift's cooperative thread pool: one hash or verification at cost 10 takes tens of
/// milliseconds of CPU, and a handful of concurrent token requests would otherwise stall every
/// other task (request streaming included) on a 2-core machine.
enum BcryptHasher {
    static func hash(_ text: String, cost: UInt8) async -> String {
        await self.offload { Bcrypt.hash(text, cost: cost) }
    }

    static func verify(_ text: String, hash: String) async -> Bool {
        await self.offload { Bcrypt.verify(text, hash: hash) }
    }

    /// A hash of a random string at the store's cost, verified against when a client id is
    /// unknown, so that unknown and known ids take the same time and cannot be told apart.
    static let decoyHash: String = Bcrypt.hash(RandomBytes.lowercaseHex(RandomBytes.generate(count: 16)), cost: GatewayStoreRules.bcryptCost)

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: work())
            }
        }
    }
}
