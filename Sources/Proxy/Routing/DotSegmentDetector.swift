import WireFormats

/// Finds `.` and `..` segments in a request path, in every spelling an upstream might resolve.
///
/// The proxy joins the client's native path to a provider's base URL and attaches the server's
/// key. An upstream (or a load balancer in front of it) that resolves `..` would then be reached
/// outside the provider's base path with that key, so such paths are refused, not normalised:
/// RFC 3986 §5.2.4 has clients remove dot-segments before sending, so no SDK sends them, and a
/// normalisation that differs from the upstream's in one corner would reopen the hole.
///
/// Upstreams differ in what they decode before resolving, so the check is deliberately wider than
/// any one of them: segments are split at `/` and `\` (IIS and some Windows-hosted gateways treat
/// a backslash as a separator), raw or percent-encoded; the path is decoded repeatedly so that a
/// double-encoded `%252e%252e` is caught too; and a `;` parameter is ignored (`..;x` is `..` to
/// Java servlet containers).
package enum DotSegmentDetector {
    /// More nested encodings than this are not a path any SDK sends; refusing them costs nothing.
    static let maximumDecodingRounds = 4

    /// Whether `rawPath` (percent-encoded as received, no query) has a dot-segment in any spelling.
    package static func containsDotSegment(_ rawPath: some StringProtocol) -> Bool {
        Self.containsDotSegment(utf8: rawPath.utf8)
    }

    /// Whether the path whose UTF-8 bytes are `utf8` has a dot-segment in any spelling.
    package static func containsDotSegment(utf8: some Collection<UInt8>) -> Bool {
        // Every spelling of a dot-segment has a '.' or a '%'; most request paths have neither.
        guard utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "%") }) else { return false }
        var bytes = Array(utf8)
        for _ in 0..<Self.maximumDecodingRounds {
            if Self.hasDotSegment(bytes) { return true }
            guard let decoded = Self.percentDecoded(bytes) else { return false }
            bytes = decoded
        }
        // Still decoding after that many rounds: no legitimate path looks like this.
        return true
    }

    private static func hasDotSegment(_ bytes: [UInt8]) -> Bool {
        var segmentStart = 0
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "\\") else { continue }
            var segment = bytes[segmentStart..<index]
            if let parameter = segment.firstIndex(of: UInt8(ascii: ";")) { segment = segment[..<parameter] }
            if segment.count == 1 || segment.count == 2, segment.allSatisfy({ $0 == UInt8(ascii: ".") }) { return true }
            segmentStart = index + 1
        }
        return false
    }

    /// `bytes` with each `%XX` decoded, or `nil` when it has none (decoding would change nothing).
    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var changed = false
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let escaped = PercentEncoding.byte(high: bytes[index + 1], low: bytes[index + 2])
            {
                decoded.append(escaped)
                index += 3
                changed = true
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return changed ? decoded : nil
    }
}
