package import Foundation

/// A strict, small reader for the JSON read on every request or stream event: the text deltas of
/// a translated stream (an Anthropic `content_block_delta`, a Bedrock `contentBlockDelta`), the
/// usage object of every answer and, through ``members(_:of:)``, a request's `model` and `stream`.
///
/// It reads an object whose values are strings, integers, `true`, `false`, `null`, arrays and
/// objects of the same, at most ``maximumDepth`` deep (as `JSONValue`s), and nothing else: in a
/// member it reads, a fraction, an exponent, a duplicate key, a number past `Int`, a lone
/// surrogate or invalid UTF-8 make it return `nil`, and the caller decodes the bytes with `JSONDecoder` as before (which
/// then reads them, or reports them malformed). So it never decides what a document means on
/// its own; it is only faster where it answers (`SmallJSONObjectTests` and the
/// `small-json-object` fuzz target check that it reads what the decoder reads).
///
/// Why: on a translated stream every upstream event went through Foundation's `JSONDecoder`,
/// about a seventh of the proxy's CPU (perf on `router → anthropic`), and the usage object of
/// every answer another 6% on plain provider routes (docs/benchmarks.md).
package enum SmallJSONObject {
    /// A member of another type than the document's shape says: the decoder would refuse (or
    /// read) it, so the caller leaves the document to the decoder.
    package struct Mismatch: Error {
        package init() {}
    }

    /// Objects and arrays nest at most this deep (an event's `delta.toolUse` is 3, Gemini's
    /// `usageMetadata.promptTokensDetails[0]` 3).
    package static let maximumDepth = 4

    /// The object `data` holds, or `nil` when it is anything this reader does not read.
    package static func object(_ data: Data) -> [String: JSONValue]? {
        data.withUnsafeBytes { Self.object($0) }
    }

    /// The object `bytes` hold, or `nil` when it is anything this reader does not read.
    package static func object(_ bytes: UnsafeRawBufferPointer) -> [String: JSONValue]? {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard let object = reader.object(depth: 1) else { return nil }
        reader.skipWhitespace()
        return reader.isAtEnd ? object : nil
    }

    /// Skipped values nest at most this deep; a deeper document is left to the decoder (whose
    /// own limit is 512).
    static let maximumSkippedDepth = 64

    /// The top-level members named in `names` of the object `bytes` hold, after the whole
    /// document has been checked to be strict JSON (RFC 8259) without building the rest: for a
    /// request body of which a step needs two fields and the assurance that it is JSON.
    ///
    /// `nil`, for the caller to ask `JSONDecoder`, when the document is not strict JSON, nests
    /// deeper than ``maximumSkippedDepth``, repeats a named member, or a named member's value is
    /// one this reader does not read (a fraction, say). So where it answers, the decoder would
    /// have read the same document and the same values.
    package static func members(_ names: Set<String>, of bytes: UnsafeRawBufferPointer) -> [String: JSONValue]? {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard let found = reader.object(depth: 1, keeping: names) else { return nil }
        reader.skipWhitespace()
        return reader.isAtEnd ? found : nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var isAtEnd: Bool { self.index == self.bytes.count }

        private func peek() -> UInt8? {
            self.index < self.bytes.count ? self.bytes[self.index] : nil
        }

        mutating func skipWhitespace() {
            while let byte = self.peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { self.index += 1 }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard self.peek() == byte else { return false }
            self.index += 1
            return true
        }

        /// An object; with `keeping`, only the members it names are read, the others are checked
        /// and skipped (``skipValue(depth:)``), and only a named member may not repeat.
        mutating func object(depth: Int, keeping names: Set<String>? = nil) -> [String: JSONValue]? {
            guard depth <= SmallJSONObject.maximumDepth, self.consume(UInt8(ascii: "{")) else { return nil }
            var object: [String: JSONValue] = [:]
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "}")) { return object }
            while true {
                self.skipWhitespace()
                guard let key = self.string() else { return nil }
                self.skipWhitespace()
                guard self.consume(UInt8(ascii: ":")) else { return nil }
                self.skipWhitespace()
                if let names, !names.contains(key) {
                    guard self.skipValue(depth: depth) else { return nil }
                } else {
                    guard let value = self.value(depth: depth), object.updateValue(value, forKey: key) == nil else { return nil }
                }
                self.skipWhitespace()
                if self.consume(UInt8(ascii: ",")) { continue }
                return self.consume(UInt8(ascii: "}")) ? object : nil
            }
        }

        private mutating func value(depth: Int) -> JSONValue? {
            guard let byte = self.peek() else { return nil }
            switch byte {
            case UInt8(ascii: "\""): return self.string().map(JSONValue.string)
            case UInt8(ascii: "{"): return self.object(depth: depth + 1).map(JSONValue.object)
            case UInt8(ascii: "["): return self.array(depth: depth + 1).map(JSONValue.array)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return self.integer().map(JSONValue.int)
            case UInt8(ascii: "t"): return self.literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return self.literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return self.literal("null") ? .null : nil
            default: return nil
            }
        }

        private mutating func array(depth: Int) -> [JSONValue]? {
            guard depth <= SmallJSONObject.maximumDepth, self.consume(UInt8(ascii: "[")) else { return nil }
            var array: [JSONValue] = []
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "]")) { return array }
            while true {
                self.skipWhitespace()
                guard let value = self.value(depth: depth) else { return nil }
                array.append(value)
                self.skipWhitespace()
                if self.consume(UInt8(ascii: ",")) { continue }
                return self.consume(UInt8(ascii: "]")) ? array : nil
            }
        }

        /// Steps over one value, checking it as ``value(depth:)`` would read it but building
        /// nothing, and accepting any RFC 8259 number; `false` when it is not strict JSON.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth <= SmallJSONObject.maximumSkippedDepth, let byte = self.peek() else { return false }
            switch byte {
            case UInt8(ascii: "\""): return self.skipString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return self.skipNumber()
            case UInt8(ascii: "t"): return self.literal("true")
            case UInt8(ascii: "f"): return self.literal("false")
            case UInt8(ascii: "n"): return self.literal("null")
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                let isObject = byte == UInt8(ascii: "{")
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                self.index += 1
                self.skipWhitespace()
                if self.consume(close) { return true }
                while true {
                    self.skipWhitespace()
                    if isObject {
                        guard self.skipString() else { return false }
                        self.skipWhitespace()
                        guard self.consume(UInt8(ascii: ":")) else { return false }
                        self.skipWhitespace()
                    }
                    guard self.skipValue(depth: depth + 1) else { return false }
                    self.skipWhitespace()
                    if self.consume(UInt8(ascii: ",")) { continue }
                    return self.consume(close)
                }
            default: return false
            }
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        private mutating func skipNumber() -> Bool {
            _ = self.consume(UInt8(ascii: "-"))
            let integerStart = self.index
            let integerDigits = self.skipDigits()
            // No digits, or a leading zero followed by digits, is not JSON.
            guard integerDigits > 0, integerDigits == 1 || self.bytes[integerStart] != UInt8(ascii: "0") else { return false }
            if self.consume(UInt8(ascii: ".")), self.skipDigits() == 0 { return false }
            if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
                if !self.consume(UInt8(ascii: "+")) { _ = self.consume(UInt8(ascii: "-")) }
                if self.skipDigits() == 0 { return false }
            }
            return true
        }

        private mutating func skipDigits() -> Int {
            let start = self.index
            while let byte = self.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { self.index += 1 }
            return self.index - start
        }

        /// A string checked as ``string()`` checks it (escapes, control characters, surrogate
        /// pairs), without building it, and so without checking its UTF-8: as the decoder, which
        /// checks only the strings it reads.
        private mutating func skipString() -> Bool {
            guard self.consume(UInt8(ascii: "\"")) else { return false }
            var scratch: [UInt8] = []
            while let byte = self.peek() {
                self.index += 1
                switch byte {
                case UInt8(ascii: "\""): return true
                case UInt8(ascii: "\\"):
                    scratch.removeAll(keepingCapacity: true)
                    guard self.escape(into: &scratch) else { return false }
                case 0..<0x20: return false
                default: continue
                }
            }
            return false
        }

        /// `true`, `false` or `null`, spelled exactly; what follows is the caller's to check.
        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard self.index + count <= self.bytes.count else { return false }
            for offset in 0..<count where self.bytes[self.index + offset] != word.utf8Start[offset] { return false }
            self.index += count
            return true
        }

        /// `-?(0|[1-9][0-9]*)` not followed by a fraction or exponent, within `Int`.
        private mutating func integer() -> Int? {
            let negative = self.consume(UInt8(ascii: "-"))
            guard let first = self.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
            var magnitude = 0
            var digits = 0
            while let byte = self.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
                let (plus, overflowPlus) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflowTimes, !overflowPlus else { return nil }
                magnitude = plus
                digits += 1
                self.index += 1
            }
            // A leading zero followed by digits is not JSON.
            guard !(first == UInt8(ascii: "0") && digits > 1) else { return nil }
            if let next = self.peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
            return negative ? -magnitude : magnitude
        }

        /// A string, its escapes resolved; `nil` for a raw control character, a bad escape, a
        /// lone surrogate or invalid UTF-8.
        mutating func string() -> String? {
            guard self.consume(UInt8(ascii: "\"")) else { return nil }
            let start = self.index
            // The common case: no escape, the bytes are the string.
            while let byte = self.peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                guard byte >= 0x20 else { return nil }
                self.index += 1
            }
            guard let stop = self.peek() else { return nil }
            if stop == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return String(validating: UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
            }
            var unescaped = Array(self.bytes[start..<self.index])
            while let byte = self.peek() {
                self.index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: unescaped, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard self.escape(into: &unescaped) else { return nil }
                case 0..<0x20:
                    return nil
                default:
                    unescaped.append(byte)
                }
            }
            return nil
        }

        private mutating func escape(into out: inout [UInt8]) -> Bool {
            guard let byte = self.peek() else { return false }
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = self.hexQuad() else { return false }
                var scalar: Unicode.Scalar?
                switch unit {
                case 0xD800...0xDBFF:
                    guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")), let low = self.hexQuad(), (0xDC00...0xDFFF).contains(low) else {
                        return false
                    }
                    scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                case 0xDC00...0xDFFF:
                    return false
                default:
                    scalar = Unicode.Scalar(unit)
                }
                guard let scalar else { return false }
                out.append(contentsOf: UTF8.encode(scalar)!)
            default:
                return false
            }
            return true
        }

        private mutating func hexQuad() -> UInt32? {
            guard self.index + 4 <= self.bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = self.bytes[self.index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                self.index += 1
            }
            return value
        }
    }
}

/// Reading a document's members by its shape; a member of the wrong type throws
/// ``SmallJSONObject/Mismatch``. An optional member that is `null` is absent, as the decoder's
/// `decodeIfPresent` reads it.
extension [String: JSONValue] {
    package func optionalString(_ key: String) throws(SmallJSONObject.Mismatch) -> String? {
        guard let value = self[key], value != .null else { return nil }
        guard let string = value.stringValue else { throw SmallJSONObject.Mismatch() }
        return string
    }

    package func optionalObject(_ key: String) throws(SmallJSONObject.Mismatch) -> [String: JSONValue]? {
        guard let value = self[key], value != .null else { return nil }
        guard let object = value.objectValue else { throw SmallJSONObject.Mismatch() }
        return object
    }

    package func requiredString(_ key: String) throws(SmallJSONObject.Mismatch) -> String {
        guard let string = try self.optionalString(key) else { throw SmallJSONObject.Mismatch() }
        return string
    }

    package func requiredInt(_ key: String) throws(SmallJSONObject.Mismatch) -> Int {
        guard case .int(let int)? = self[key] else { throw SmallJSONObject.Mismatch() }
        return int
    }

    package func requiredObject(_ key: String) throws(SmallJSONObject.Mismatch) -> [String: JSONValue] {
        guard let object = try self.optionalObject(key) else { throw SmallJSONObject.Mismatch() }
        return object
    }
}
