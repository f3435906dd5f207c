/// Compares a presented credential with the expected one in time that depends only on the
/// expected value's length, so a timing attacker learns nothing about how many leading
/// characters matched.
enum ConstantTimeComparison {
    static func equals(presented: some StringProtocol, expected: some StringProtocol) -> Bool {
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
