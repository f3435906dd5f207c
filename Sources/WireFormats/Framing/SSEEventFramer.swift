package import NIOCore

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
package struct SSEEventFramer: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = ByteBuffer

    /// Offset (from the reader index) of the first byte not yet scanned.
    private var scannedBytes = 0
    /// Offset of the start of the line being scanned.
    private var currentLineStart = 0

    package init() {}

    package mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        try self.nextEvent(in: &buffer, atEndOfStream: false)
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let event = try self.nextEvent(in: &buffer, atEndOfStream: true) {
            return event
        }
        guard buffer.readableBytes > 0 else { return nil }
        self.scannedBytes = 0
        self.currentLineStart = 0
        return buffer.readSlice(length: buffer.readableBytes)
    }

    private mutating func nextEvent(in buffer: inout ByteBuffer, atEndOfStream: Bool) throws -> ByteBuffer? {
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        // (event length, or nil) and where scanning stopped; computed over raw bytes because this
        // loop runs for every byte of every relayed stream.
        let (eventLength, scanned, lineStart): (Int?, Int, Int) = buffer.withUnsafeReadableBytes { bytes in
            var index = self.scannedBytes
            var lineStart = self.currentLineStart
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == newline || byte == carriageReturn else {
                    index += 1
                    continue
                }
                var lineEndingLength = 1
                if byte == carriageReturn {
                    if index + 1 < bytes.count {
                        if bytes[index + 1] == newline { lineEndingLength = 2 }
                    } else if !atEndOfStream {
                        // Wait for the next byte: it decides between `\r` and `\r\n`.
                        return (nil, index, lineStart)
                    }
                }
                let lineIsEmpty = index == lineStart
                index += lineEndingLength
                lineStart = index
                if lineIsEmpty { return (index, 0, 0) }
            }
            return (nil, index, lineStart)
        }
        if let eventLength {
            self.scannedBytes = 0
            self.currentLineStart = 0
            return buffer.readSlice(length: eventLength)
        }
        self.scannedBytes = scanned
        self.currentLineStart = lineStart
        return nil
    }
}
