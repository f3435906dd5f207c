/// RFC 3986 §2.1 percent-encoding, as the proxy's path check and the admin API's form bodies
/// read it: one place that knows what a `%XX` byte is.
package enum PercentEncoding {
    /// The byte a `%` escape's two hex digits stand for, either case; `nil` when either is not a
    /// hex digit.
    package static func byte(high: UInt8, low: UInt8) -> UInt8? {
        guard let high = Self.hexValue(high), let low = Self.hexValue(low) else { return nil }
        return high << 4 | low
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
