package import NIOCore

/// Splits an `application/vnd.amazon.eventstream` byte stream into whole messages without
/// decoding them: each element is the exact bytes of one message, so a relay forwards them
/// untouched and never half a message before an in-band exception.
///
/// Both CRCs are checked as soon as the bytes are there (the prelude's before waiting for the
/// rest, so a corrupt length never makes the framer wait for 4 GiB). Each byte is checksummed
/// once, when its message is complete: the cost per message does not grow with the stream.
package struct AWSEventStreamFramer: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = ByteBuffer

    /// The total length of the message at the reader index, once its prelude has been checked.
    private var pendingLength: Int?

    package init() {}

    package mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        if self.pendingLength == nil {
            guard buffer.readableBytes >= 12 else { return nil }
            try AWSEventStreamMessage.checkPrelude(of: buffer)
            self.pendingLength = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self).map { Int($0) }
        }
        guard let length = self.pendingLength, buffer.readableBytes >= length else { return nil }
        try AWSEventStreamMessage.checkMessageCRC(of: buffer, totalLength: length)
        self.pendingLength = nil
        return buffer.readSlice(length: length)
    }

    /// A stream that ends inside a message is truncated: that is an error, not a final message.
    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let message = try self.decode(buffer: &buffer) { return message }
        guard buffer.readableBytes == 0 else {
            throw AWSEventStreamError(.truncatedMessage, "stream ended \(buffer.readableBytes) bytes into a message")
        }
        return nil
    }
}
