package import NIOCore

/// One server-sent event, decoded by the WHATWG rules.
///
/// Used where a feature must read an event (the emulators write them, tests and accounting read
/// them); the relay path forwards the raw bytes that ``SSEEventFramer`` produced instead.
package struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` when the event had none.
    package var event: String?
    /// The `data:` lines joined with `\n`.
    package var data: String
    /// The `id:` field as sent in this event, if any.
    package var id: String?
    /// The `retry:` field, when it was all digits.
    package var retry: Int?
    /// Whether the block was only comments (`: keep-alive`), which dispatches nothing.
    package var isCommentOnly: Bool

    package init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
        self.isCommentOnly = false
    }

    /// Parses the raw bytes of one event block (as produced by ``SSEEventFramer``).
    package init(parsing block: ByteBuffer) {
        self = block.withUnsafeReadableBytes { Self.parse($0) }
    }

    /// Parses the text of one event block.
    package init(parsing block: String) {
        var block = block
        self = block.withUTF8 { Self.parse(UnsafeRawBufferPointer($0)) }
    }

    /// The WHATWG field rules over bytes: lines end at `\r\n`, `\r` or `\n`; empty lines and
    /// `:` comments are skipped; a field's name runs to the first `:`, and one space after it is
    /// dropped. Every separator is ASCII, so splitting bytes first and decoding each value after
    /// (invalid UTF-8 becoming U+FFFD) reads what decoding the whole block would. The relay
    /// parses one block per upstream event, so this avoids `Character` iteration (grapheme
    /// breaking), which made it a tenth of the proxy's CPU on a translated stream.
    private static func parse(_ bytes: UnsafeRawBufferPointer) -> SSEEvent {
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        let colon = UInt8(ascii: ":")
        var event: String?
        var data: [UInt8] = []
        var dataLines = 0
        var id: String?
        var retry: Int?
        var sawField = false
        var index = 0
        // A byte-order mark opens a stream at most once; the framer hands it over with the first
        // event.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != newline, bytes[end] != carriageReturn { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
            index = end + 1
            if end < bytes.count, bytes[end] == carriageReturn, index < bytes.count, bytes[index] == newline { index += 1 }
            guard let first = line.first, first != colon else { continue }
            sawField = true
            let nameEnd = line.firstIndex(of: colon) ?? line.count
            var valueStart = min(nameEnd + 1, line.count)
            if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
            let name = UnsafeRawBufferPointer(rebasing: line[..<nameEnd])
            let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
            if name.elementsEqual("data".utf8) {
                if dataLines > 0 { data.append(newline) }
                data.append(contentsOf: value)
                dataLines += 1
            } else if name.elementsEqual("event".utf8) {
                event = String(decoding: value, as: UTF8.self)
            } else if name.elementsEqual("id".utf8), !value.contains(0) {
                id = String(decoding: value, as: UTF8.self)
            } else if name.elementsEqual("retry".utf8), !value.isEmpty, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        }
        var parsed = SSEEvent(event: event, data: String(decoding: data, as: UTF8.self), id: id, retry: retry)
        parsed.isCommentOnly = !sawField
        return parsed
    }

    /// The canonical wire form: `event:` (when set), one `data:` line per line of data, and the
    /// blank line that dispatches the event. `id:` is never written, because OpenAI's Python
    /// decoder crashes on an `id:` followed by an extra blank line.
    package var serialized: String {
        var out = ""
        if let event { out += "event: \(event)\n" }
        for line in self.data.split(separator: "\n", omittingEmptySubsequences: false) {
            out += "data: \(line)\n"
        }
        if let retry { out += "retry: \(retry)\n" }
        out += "\n"
        return out
    }

    /// ``serialized`` as bytes.
    package var byteBuffer: ByteBuffer { ByteBuffer(string: self.serialized) }
}
