package import NIOCore

/// Splits a newline-delimited JSON stream (Ollama's native API, Cohere v1) into lines, each
/// returned with its `\n`, bytes untouched. A final line without `\n` is returned at end of stream.
///
/// Like ``SSEEventFramer`` it remembers how far it has scanned, so each byte is examined once.
package struct JSONLinesFramer: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = ByteBuffer

    private var scannedBytes = 0

    package init() {}

    package mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let newline = UInt8(ascii: "\n")
        let start = self.scannedBytes
        let found: Int? = buffer.withUnsafeReadableBytes { bytes in
            guard start < bytes.count else { return nil }
            return bytes[start...].firstIndex(of: newline)
        }
        guard let found else {
            self.scannedBytes = buffer.readableBytes
            return nil
        }
        self.scannedBytes = 0
        return buffer.readSlice(length: found + 1)
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let line = try self.decode(buffer: &buffer) { return line }
        guard buffer.readableBytes > 0 else { return nil }
        self.scannedBytes = 0
        return buffer.readSlice(length: buffer.readableBytes)
    }
}
