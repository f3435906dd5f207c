/// Compares credentials without an early exit, so that how long a comparison takes does not tell
/// an attacker how many leading characters of a guess were right. The gateway, the SigV4 verifier
/// and the emulators all compare secrets with it.
package enum ConstantTimeComparison {
    /// `true` when `presented` has the same UTF-8 bytes as `expected`.
    ///
    /// The time depends only on `expected`'s length, whatever was presented: a credential whose
    /// length its format does not fix (an admin token) gives nothing away either.
    package static func areEqual(_ presented: String, _ expected: String) -> Bool {
        let presented = Array(presented.utf8)
        let expected = Array(expected.utf8)
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for index in expected.indices {
            let presentedByte = index < presented.count ? presented[index] : 0
            difference |= presentedByte ^ expected[index]
        }
        return difference == 0
    }
}
