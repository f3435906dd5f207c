/// Compares credentials without an early exit, so that how long a comparison takes does not tell
/// an attacker how many leading characters of a guess were right. The gateway, the SigV4 verifier
/// and the emulators all compare secrets with it.
package enum ConstantTimeComparison {
    /// `true` when both strings have the same UTF-8 bytes.
    ///
    /// Strings of different lengths return `false` at once: the length of a credential is public
    /// (its format fixes it), its content is not.
    package static func areEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
