package import Foundation

/// FNV-1a, 64-bit: a tiny, stable (across runs and platforms) hash for deterministic ids and
/// embedding seeds. Not for security.
package enum StableHash {
    package static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    package static func fnv1a(_ text: String) -> UInt64 { self.fnv1a(text.utf8) }

    /// 24 lowercase hex digits (two hashes with different seeds), id-sized.
    package static func hex(of data: Data) -> String {
        let first = self.fnv1a(data)
        let second = self.fnv1a(data, seed: first ^ 0x9e37_79b9_7f4a_7c15)
        return String(first, radix: 16).leftPadded(to: 16) + String(second >> 32, radix: 16).leftPadded(to: 8)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - self.count)) + self
    }
}
