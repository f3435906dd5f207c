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
        self.init(parsing: String(decoding: block.readableBytesView, as: UTF8.self))
    }

    /// Parses the text of one event block.
    package init(parsing block: String) {
        var event: String?
        var dataLines: [Substring] = []
        var id: String?
        var retry: Int?
        var sawField = false
        var text = Substring(block)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            if line.hasPrefix(":") { continue }
            sawField = true
            let name: Substring
            var value: Substring
            if let colon = line.firstIndex(of: ":") {
                name = line[..<colon]
                value = line[line.index(after: colon)...]
                if value.hasPrefix(" ") { value = value.dropFirst() }
            } else {
                name = line
                value = ""
            }
            switch name {
            case "event": event = String(value)
            case "data": dataLines.append(value)
            case "id" where !value.contains("\0"): id = String(value)
            case "retry" where !value.isEmpty && value.allSatisfy(\.isASCIIDigit): retry = Int(value)
            default: break
            }
        }
        self.event = event
        self.data = dataLines.joined(separator: "\n")
        self.id = id
        self.retry = retry
        self.isCommentOnly = !sawField
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

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}
