public import NIOCore

/// Splits a byte stream into whole server-sent events without decoding them.
///
/// Each element is the exact bytes of one event, up to and including the blank line that
/// dispatches it, so a relay can forward events byte for byte (picky parsers such as
/// google-genai depend on the upstream's own spacing and line endings) while still flushing on
/// event boundaries and never forwarding half an event before an in-band error.
///
/// Line endings may be `\n`, `\r\n` or `\r` (WHATWG). A `\r` that ends the available bytes is not
/// treated as a line ending until the next byte shows whether a `\n` follows it.
///
/// The framer remembers how far it has scanned, so each byte is examined once however the
/// stream is chunked: the cost per event does not grow with the length of the stream.
/// Bytes left after the last blank line at end of stream are returned as a final, unterminated
/// event (`decodeLast`), so nothing an upstream sent is silently dropped.
public struct SSEEventFramer: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// Offset (from the reader index) of the first byte not yet scanned.
    private var scannedBytes = 0
    /// Offset of the start of the line being scanned.
    private var currentLineStart = 0

    public init() {}

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        try self.nextEvent(in: &buffer, atEndOfStream: false)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let event = try self.nextEvent(in: &buffer, atEndOfStream: true) {
            return event
        }
        guard buffer.readableBytes > 0 else { return nil }
        self.scannedBytes = 0
        self.currentLineStart = 0
        return buffer.readSlice(length: buffer.readableBytes)
    }

    private mutating func nextEvent(in buffer: inout ByteBuffer, atEndOfStream: Bool) throws -> ByteBuffer? {
        let readable = buffer.readableBytesView
        let base = readable.startIndex
        var index = self.scannedBytes
        while index < readable.count {
            let byte = readable[base + index]
            let lineEndingLength: Int
            switch byte {
            case UInt8(ascii: "\n"):
                lineEndingLength = 1
            case UInt8(ascii: "\r"):
                if index + 1 < readable.count {
                    lineEndingLength = readable[base + index + 1] == UInt8(ascii: "\n") ? 2 : 1
                } else if atEndOfStream {
                    lineEndingLength = 1
                } else {
                    // Wait for the next byte: it decides between `\r` and `\r\n`.
                    self.scannedBytes = index
                    return nil
                }
            default:
                index += 1
                continue
            }
            let lineIsEmpty = index == self.currentLineStart
            index += lineEndingLength
            self.currentLineStart = index
            if lineIsEmpty {
                self.scannedBytes = 0
                self.currentLineStart = 0
                return buffer.readSlice(length: index)
            }
        }
        self.scannedBytes = index
        return nil
    }
}
