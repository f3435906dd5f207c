import Foundation
package import NIOCore

/// One `application/vnd.amazon.eventstream` message: typed headers and an opaque payload.
///
/// Layout (big-endian): total length, headers length, prelude CRC-32 of the first 8 bytes,
/// headers, payload, and a CRC-32 of everything before it. Limits are AWS's: 128 KiB of
/// headers, 24 MiB of payload.
package struct AWSEventStreamMessage: Sendable, Hashable {
    package static let maximumHeadersLength = 128 * 1024
    package static let maximumPayloadLength = 24 * 1024 * 1024
    /// Prelude (12 bytes) plus the trailing message CRC (4 bytes).
    static let framingOverhead = 16

    package var headers: [AWSEventStreamHeader]
    package var payload: ByteBuffer

    package init(headers: [AWSEventStreamHeader], payload: ByteBuffer = ByteBuffer()) {
        self.headers = headers
        self.payload = payload
    }

    /// The first header named `name`.
    package subscript(header name: String) -> AWSEventStreamHeaderValue? {
        self.headers.first { $0.name == name }?.value
    }

    /// An `event` message as Bedrock sends them: `:event-type`, `:content-type`, `:message-type`.
    package static func event(type: String, payload: ByteBuffer, contentType: String = "application/json") -> AWSEventStreamMessage {
        AWSEventStreamMessage(
            headers: [
                AWSEventStreamHeader(name: ":event-type", value: .string(type)),
                AWSEventStreamHeader(name: ":content-type", value: .string(contentType)),
                AWSEventStreamHeader(name: ":message-type", value: .string("event")),
            ],
            payload: payload
        )
    }

    /// An in-stream modelled exception (`throttlingException`, `modelStreamErrorException`, …):
    /// botocore raises `EventStreamError` with the exception type as its code.
    package static func exception(type: String, payload: ByteBuffer) -> AWSEventStreamMessage {
        AWSEventStreamMessage(
            headers: [
                AWSEventStreamHeader(name: ":exception-type", value: .string(type)),
                AWSEventStreamHeader(name: ":content-type", value: .string("application/json")),
                AWSEventStreamHeader(name: ":message-type", value: .string("exception")),
            ],
            payload: payload
        )
    }

    /// The message's `:message-type` (`event`, `exception` or `error`).
    package var messageType: String? { self[header: ":message-type"]?.stringValue }
    /// `:event-type` of an event, `:exception-type` of an exception.
    package var eventType: String? { self[header: ":event-type"]?.stringValue ?? self[header: ":exception-type"]?.stringValue }

    // MARK: Encoding

    /// Appends the encoded message to `buffer`. Throws when a header or the payload exceeds the
    /// wire limits (names over 255 bytes, strings or byte arrays over 65535 bytes).
    package func encode(into buffer: inout ByteBuffer) throws(AWSEventStreamError) {
        var headerBytes = ByteBuffer()
        for header in self.headers {
            try Self.encode(header, into: &headerBytes)
        }
        guard headerBytes.readableBytes <= Self.maximumHeadersLength else {
            throw AWSEventStreamError(.headersTooLong, "\(headerBytes.readableBytes) bytes of headers")
        }
        guard self.payload.readableBytes <= Self.maximumPayloadLength else {
            throw AWSEventStreamError(.payloadTooLong, "\(self.payload.readableBytes) bytes of payload")
        }
        let totalLength = Self.framingOverhead + headerBytes.readableBytes + self.payload.readableBytes
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(totalLength))
        buffer.writeInteger(UInt32(headerBytes.readableBytes))
        let preludeCRC = buffer.withUnsafeReadableBytes { bytes in
            AWSEventStreamCRC32.checksum(bytes[(start - buffer.readerIndex)...].prefix(8))
        }
        buffer.writeInteger(preludeCRC)
        buffer.writeImmutableBuffer(headerBytes)
        buffer.writeImmutableBuffer(self.payload)
        let messageCRC = buffer.withUnsafeReadableBytes { bytes in
            AWSEventStreamCRC32.checksum(bytes[(start - buffer.readerIndex)...])
        }
        buffer.writeInteger(messageCRC)
    }

    /// The encoded message in a new buffer.
    package func encoded() throws(AWSEventStreamError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try self.encode(into: &buffer)
        return buffer
    }

    private static func encode(_ header: AWSEventStreamHeader, into buffer: inout ByteBuffer) throws(AWSEventStreamError) {
        let name = Array(header.name.utf8)
        guard !name.isEmpty, name.count <= 255 else { throw AWSEventStreamError(.invalidHeader, "header name length \(name.count)") }
        buffer.writeInteger(UInt8(name.count))
        buffer.writeBytes(name)
        buffer.writeInteger(header.value.typeCode)
        switch header.value {
        case .bool: break
        case .byte(let value): buffer.writeInteger(value)
        case .short(let value): buffer.writeInteger(value)
        case .integer(let value): buffer.writeInteger(value)
        case .long(let value), .timestamp(let value): buffer.writeInteger(value)
        case .byteArray(let bytes):
            guard bytes.count <= Int(UInt16.max) else { throw AWSEventStreamError(.invalidHeader, "byte array of \(bytes.count) bytes") }
            buffer.writeInteger(UInt16(bytes.count))
            buffer.writeBytes(bytes)
        case .string(let string):
            let bytes = Array(string.utf8)
            guard bytes.count <= Int(UInt16.max) else { throw AWSEventStreamError(.invalidHeader, "string of \(bytes.count) bytes") }
            buffer.writeInteger(UInt16(bytes.count))
            buffer.writeBytes(bytes)
        case .uuid(let uuid):
            _ = withUnsafeBytes(of: uuid.uuid) { buffer.writeBytes($0) }
        }
    }

    // MARK: Decoding

    /// The value of the string header `name` of a whole message the framer already checked,
    /// read without decoding the rest or checking CRCs again: cheap enough to call on every
    /// relayed message. `nil` when absent or not a string.
    package static func stringHeader(_ name: String, of message: ByteBuffer) -> String? {
        guard let headersLength = message.getInteger(at: message.readerIndex + 4, as: UInt32.self) else { return nil }
        var headers = message.getSlice(at: message.readerIndex + 12, length: Int(headersLength)) ?? ByteBuffer()
        while headers.readableBytes > 0 {
            guard let header = try? Self.decodeHeader(from: &headers) else { return nil }
            if header.name == name { return header.value.stringValue }
        }
        return nil
    }

    /// Decodes exactly one whole message (as ``AWSEventStreamFramer`` returns them), checking
    /// both CRCs, the lengths and the headers.
    package init(decoding message: ByteBuffer) throws(AWSEventStreamError) {
        var message = message
        let totalLength = message.readableBytes
        guard totalLength >= Self.framingOverhead,
            let declaredTotal = message.getInteger(at: message.readerIndex, as: UInt32.self),
            let headersLength = message.getInteger(at: message.readerIndex + 4, as: UInt32.self)
        else { throw AWSEventStreamError(.truncatedMessage, "\(totalLength) bytes is shorter than a prelude") }
        guard Int(declaredTotal) == totalLength else {
            throw AWSEventStreamError(.invalidLength, "declared \(declaredTotal) bytes, got \(totalLength)")
        }
        try Self.checkPrelude(of: message)
        try Self.checkMessageCRC(of: message, totalLength: totalLength)
        let payloadLength = totalLength - Self.framingOverhead - Int(headersLength)
        guard payloadLength >= 0 else { throw AWSEventStreamError(.invalidLength, "headers longer than the message") }
        message.moveReaderIndex(forwardBy: 12)
        guard var headerBytes = message.readSlice(length: Int(headersLength)) else {
            throw AWSEventStreamError(.truncatedMessage, "headers")
        }
        var headers: [AWSEventStreamHeader] = []
        var seen = Set<String>()
        while headerBytes.readableBytes > 0 {
            let header = try Self.decodeHeader(from: &headerBytes)
            guard seen.insert(header.name).inserted else { throw AWSEventStreamError(.duplicateHeader, header.name) }
            headers.append(header)
        }
        guard let payload = message.readSlice(length: payloadLength) else { throw AWSEventStreamError(.truncatedMessage, "payload") }
        self.headers = headers
        self.payload = payload
    }

    /// Checks the 12-byte prelude at the reader index: CRC and the length limits.
    static func checkPrelude(of buffer: ByteBuffer) throws(AWSEventStreamError) {
        let start = buffer.readerIndex
        guard let totalLength = buffer.getInteger(at: start, as: UInt32.self),
            let headersLength = buffer.getInteger(at: start + 4, as: UInt32.self),
            let declaredCRC = buffer.getInteger(at: start + 8, as: UInt32.self)
        else { throw AWSEventStreamError(.truncatedMessage, "prelude") }
        let computed = buffer.withUnsafeReadableBytes { AWSEventStreamCRC32.checksum($0.prefix(8)) }
        guard computed == declaredCRC else {
            throw AWSEventStreamError(.preludeChecksumMismatch, "prelude CRC mismatch")
        }
        guard Int(headersLength) <= Self.maximumHeadersLength else {
            throw AWSEventStreamError(.headersTooLong, "\(headersLength) bytes of headers")
        }
        let payloadLength = Int(totalLength) - Self.framingOverhead - Int(headersLength)
        guard payloadLength >= 0 else { throw AWSEventStreamError(.invalidLength, "total length \(totalLength) < headers + framing") }
        guard payloadLength <= Self.maximumPayloadLength else {
            throw AWSEventStreamError(.payloadTooLong, "\(payloadLength) bytes of payload")
        }
    }

    /// Checks the trailing CRC of a message of `totalLength` bytes starting at the reader index.
    static func checkMessageCRC(of buffer: ByteBuffer, totalLength: Int) throws(AWSEventStreamError) {
        guard let declared = buffer.getInteger(at: buffer.readerIndex + totalLength - 4, as: UInt32.self) else {
            throw AWSEventStreamError(.truncatedMessage, "message CRC")
        }
        let computed = buffer.withUnsafeReadableBytes { AWSEventStreamCRC32.checksum($0.prefix(totalLength - 4)) }
        guard computed == declared else { throw AWSEventStreamError(.messageChecksumMismatch, "message CRC mismatch") }
    }

    private static func decodeHeader(from buffer: inout ByteBuffer) throws(AWSEventStreamError) -> AWSEventStreamHeader {
        guard let nameLength = buffer.readInteger(as: UInt8.self), nameLength > 0,
            let name = buffer.readString(length: Int(nameLength)),
            let type = buffer.readInteger(as: UInt8.self)
        else { throw AWSEventStreamError(.invalidHeader, "truncated header name") }
        let value: AWSEventStreamHeaderValue?
        switch type {
        case 0: value = .bool(true)
        case 1: value = .bool(false)
        case 2: value = buffer.readInteger(as: Int8.self).map { .byte($0) }
        case 3: value = buffer.readInteger(as: Int16.self).map { .short($0) }
        case 4: value = buffer.readInteger(as: Int32.self).map { .integer($0) }
        case 5: value = buffer.readInteger(as: Int64.self).map { .long($0) }
        case 6:
            value = buffer.readInteger(as: UInt16.self).flatMap { buffer.readBytes(length: Int($0)) }.map { .byteArray($0) }
        case 7:
            value = buffer.readInteger(as: UInt16.self).flatMap { buffer.readString(length: Int($0)) }.map { .string($0) }
        case 8: value = buffer.readInteger(as: Int64.self).map { .timestamp($0) }
        case 9:
            value = buffer.readBytes(length: 16).map { bytes in
                .uuid(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                  bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
            }
        default:
            throw AWSEventStreamError(.invalidHeader, "unknown header type \(type) for \(name)")
        }
        guard let value else { throw AWSEventStreamError(.invalidHeader, "truncated value of \(name)") }
        return AWSEventStreamHeader(name: name, value: value)
    }
}
