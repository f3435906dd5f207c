package import NIOCore

/// Finds one object-valued field in JSON bytes without parsing the rest of the document.
///
/// Usage blocks are small and sit beside large content (a long answer, a tool's arguments), so
/// the proxy looks for the key's bytes and parses only the object that follows it. The cost is
/// one pass over the bytes given, with no allocation unless the key is found.
package enum JSONObjectScanner {
    /// `read` of the bytes of the last object that is the value of a `"<key>":` in `bytes` (from
    /// its `{` to its `}`); occurrences whose value is not an object (OpenAI streams
    /// `"usage":null`) or is cut off are passed over. `nil` when there is none.
    package static func lastObject<Value>(forKey key: String, in bytes: ByteBuffer, read: (UnsafeRawBufferPointer) -> Value?) -> Value? {
        let needle = Array("\"\(key)\"".utf8)
        return bytes.withUnsafeReadableBytes { raw -> Value? in
            var searchEnd = raw.count
            while let found = Self.lastIndex(of: needle, in: raw, before: searchEnd) {
                searchEnd = found
                // A key inside a string value would be escaped (`\"usage\"`).
                if found > 0, raw[found - 1] == UInt8(ascii: "\\") { continue }
                guard let index = Self.skipWhitespace(raw, from: found + needle.count), index < raw.count,
                    raw[index] == UInt8(ascii: ":")
                else { continue }
                guard let start = Self.skipWhitespace(raw, from: index + 1), start < raw.count, raw[start] == UInt8(ascii: "{") else {
                    continue
                }
                guard let end = Self.endOfObject(raw, from: start) else { continue }
                return read(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
            }
            return nil
        }
    }

    /// Whether `bytes` contains `fragment` at all: the cheap test run on every stream event
    /// before any parsing.
    package static func contains(_ fragment: [UInt8], in bytes: ByteBuffer) -> Bool {
        bytes.withUnsafeReadableBytes { raw in Self.lastIndex(of: fragment, in: raw, before: raw.count) != nil }
    }

    private static func lastIndex(of needle: [UInt8], in raw: UnsafeRawBufferPointer, before end: Int) -> Int? {
        guard let first = needle.first, needle.count <= end else { return nil }
        var index = end - needle.count
        while index >= 0 {
            if raw[index] == first {
                var matches = true
                for offset in 1..<needle.count where raw[index + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return index }
            }
            index -= 1
        }
        return nil
    }

    private static func skipWhitespace(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < raw.count, [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(raw[index]) {
            index += 1
        }
        return index
    }

    /// The index just past the `}` that closes the object opening at `start`.
    private static func endOfObject(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var index = start
        while index < raw.count {
            let byte = raw[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }
}
