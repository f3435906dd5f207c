/// CRC-32 as AWS event streams use it: the IEEE polynomial, reflected (0xEDB88320), initial value
/// and final XOR 0xFFFFFFFF — the same function as zlib's `crc32` and Python's `binascii.crc32`.
///
/// Table driven, so a message costs one table lookup per byte.
package struct AWSEventStreamCRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The running value before the final XOR.
    private var state: UInt32 = 0xFFFF_FFFF

    package init() {}

    package mutating func update(_ bytes: some Sequence<UInt8>) {
        var state = self.state
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes {
                state = table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
            }
        }
        self.state = state
    }

    package var value: UInt32 { self.state ^ 0xFFFF_FFFF }

    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = AWSEventStreamCRC32()
        crc.update(bytes)
        return crc.value
    }
}
