import Foundation
package import NIOCore

/// Replaces the value of the top-level `"model"` member of a JSON object in place, leaving every
/// other byte as the client sent it: an OpenAI-wire provider behind the router receives the
/// client's body byte for byte but for the model id.
package enum ModelFieldRewriter {
    /// The body with its top-level `model` string replaced by `model`; `nil` when the body is not
    /// a JSON object with a top-level string `model` (the caller has already parsed it, so this
    /// means the member is absent or not a string).
    package static func replacingModel(in body: ByteBuffer, with model: String) -> ByteBuffer? {
        // Scanned in place; the result is the two untouched slices around the new value.
        guard let range = body.withUnsafeReadableBytes({ Self.topLevelStringValueRange(forKey: "model", in: $0) }),
            let before = body.getSlice(at: body.readerIndex, length: range.lowerBound),
            let after = body.getSlice(at: body.readerIndex + range.upperBound, length: body.readableBytes - range.upperBound)
        else { return nil }
        let value = Self.jsonString(model)
        var result = ByteBuffer()
        result.reserveCapacity(body.readableBytes + value.utf8.count)
        result.writeImmutableBuffer(before)
        result.writeString(value)
        result.writeImmutableBuffer(after)
        return result
    }

    /// A JSON string literal, quotes included.
    static func jsonString(_ text: String) -> String {
        // Encoding a String cannot fail.
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// The byte range of the string literal (quotes included) that is the value of `key` in the
    /// top-level object, skipping nested objects, arrays and strings.
    static func topLevelStringValueRange(forKey key: String, in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        let keyBytes = Array(key.utf8)
        var index = Self.skipWhitespace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = Self.skipWhitespace(bytes, index)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "\""), let keyEnd = Self.endOfString(bytes, index) else { return nil }
            let isKey = bytes[(index + 1)..<(keyEnd - 1)].elementsEqual(keyBytes)
            index = Self.skipWhitespace(bytes, keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = Self.skipWhitespace(bytes, index + 1)
            guard let valueEnd = Self.endOfValue(bytes, index) else { return nil }
            if isKey {
                return bytes[index] == UInt8(ascii: "\"") ? index..<valueEnd : nil
            }
            index = valueEnd
        }
    }

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// `start` is at an opening quote; returns the index after the closing one.
    private static func endOfString(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// The index after the value that starts at `start`.
    private static func endOfValue(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return Self.endOfString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = Self.endOfString(bytes, index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return nil
        default:
            // A number, true, false or null: up to the next delimiter.
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index
        }
    }
}
