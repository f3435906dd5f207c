/// Equality whose time depends only on the lengths, not on where the inputs first differ, so an
/// emulator's key check does not teach a client its key byte by byte.
enum ConstantTimeComparison {
    static func equal(_ expected: String, _ given: String) -> Bool {
        let expectedBytes = Array(expected.utf8)
        let givenBytes = Array(given.utf8)
        var difference = UInt8(truncatingIfNeeded: expectedBytes.count ^ givenBytes.count)
        for index in 0..<givenBytes.count {
            let expectedByte = index < expectedBytes.count ? expectedBytes[index] : 0
            difference |= expectedByte ^ givenBytes[index]
        }
        return difference == 0 && expectedBytes.count == givenBytes.count
    }
}
