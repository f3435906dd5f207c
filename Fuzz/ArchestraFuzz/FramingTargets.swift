import Foundation
import NIOCore
import Proxy
import WireFormats

/// The stream framers and the usage scanner: bytes as they come off an upstream connection.
enum FramingTargets {
    static func sse(_ bytes: [UInt8]) {
        var framer = SSEEventFramer()
        frame(&framer, bytes)
        _ = SSEEvent(parsing: ByteBuffer(bytes: bytes))
    }

    static func jsonLines(_ bytes: [UInt8]) {
        var framer = JSONLinesFramer()
        frame(&framer, bytes)
    }

    static func eventStream(_ bytes: [UInt8]) {
        var framer = AWSEventStreamFramer()
        frame(&framer, bytes)
        _ = try? AWSEventStreamMessage(decoding: ByteBuffer(bytes: bytes))
    }

    private struct Usage: Decodable {
        let prompt_tokens: Int?
        let completion_tokens: Int?
    }

    static func jsonScanner(_ bytes: [UInt8]) {
        let buffer = ByteBuffer(bytes: bytes)
        _ = JSONObjectScanner.lastObject(forKey: "usage", in: buffer) { try? JSONDecoder().decode(Usage.self, from: Data($0)) }
        _ = JSONObjectScanner.contains(Array("\"usage\"".utf8), in: buffer)
    }

    /// Feeds `bytes` to a framer the way the relay does: in pieces (split where the first byte
    /// says), then end of stream. Every frame must be non-empty, and all of them together never
    /// more bytes than were given; a refused stream is an allowed outcome.
    static func frame<Framer: NIOSingleStepByteToMessageDecoder>(_ framer: inout Framer, _ bytes: [UInt8]) where Framer.InboundOut == ByteBuffer {
        guard let first = bytes.first else { return }
        let step = max(1, Int(first))
        var buffer = ByteBuffer()
        var offset = 1
        var emitted = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            do {
                while let frame = try framer.decode(buffer: &buffer) {
                    precondition(frame.readableBytes > 0, "empty frame")
                    emitted += frame.readableBytes
                }
            } catch {
                return
            }
        }
        do {
            while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) {
                emitted += frame.readableBytes
            }
        } catch {
            return
        }
        precondition(emitted <= bytes.count - 1, "framer emitted more bytes than it was given")
    }
}
