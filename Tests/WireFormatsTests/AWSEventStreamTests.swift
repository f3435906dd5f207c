import Foundation
import NIOCore
import Testing
import WireFormats

struct AWSEventStreamTests {
    /// PROTOCOLS.md §5.4: a `messageStop` event botocore's `EventStreamBuffer` decodes.
    static let messageStopHex =
        "0000007b00000051f74c6fd5" + "0b3a6576656e742d747970650700" + "0b6d65737361676553746f70"
        + "0d3a636f6e74656e742d74797065070010" + "6170706c69636174696f6e2f6a736f6e"
        + "0d3a6d6573736167652d74797065070005" + "6576656e74"
        + "7b2273746f70526561736f6e223a2022656e645f7475726e227d" + "e70e424b"

    /// A real ConverseStream body from AWS (us.amazon.nova-micro-v1:0), recorded by
    /// pydantic/pydantic-ai @ 4fda38988f, `tests/models/cassettes/test_bedrock/
    /// test_bedrock_model_stream_with_extra_headers.yaml` (MIT licence; see Cassettes/NOTICE).
    static let realConverseStreamBase64 = [
        "AAAAhQAAAFKZQdBTCzpldmVudC10eXBlBwAMbWVzc2FnZVN0YXJ0DTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTpt",
        "ZXNzYWdlLXR5cGUHAAVldmVudHsicCI6ImFiY2RlZmdoIiwicm9sZSI6ImFzc2lzdGFudCJ9PVk6xgAAANYAAABXlpiRxws6ZXZl",
        "bnQtdHlwZQcAEWNvbnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUH",
        "AAVldmVudHsiY29udGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiJIZWxsbyJ9LCJwIjoiYWJjZGVmZ2hpamtsbW5v",
        "cHFyc3R1dnd4eXpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWjAxMjMifRjn9SgAAACtAAAAVxiaQBkLOmV2ZW50LXR5cGUHABFj",
        "b250ZW50QmxvY2tEZWx0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNv",
        "bnRlbnRCbG9ja0luZGV4IjowLCJkZWx0YSI6eyJ0ZXh0IjoiISBIb3cgY2FuIEkgYXNzaXN0In0sInAiOiJhYiJ9/rmslgAAALoA",
        "AABXyloLiws6ZXZlbnQtdHlwZQcAEWNvbnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTpt",
        "ZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiIgeW91IHRvZGF5PyBXaGV0",
        "aGVyIn0sInAiOiJhYmNkZWZnaGlqa2xtbiJ99H83eQAAANMAAABXXngetws6ZXZlbnQtdHlwZQcAEWNvbnRlbnRCbG9ja0RlbHRh",
        "DTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVudEJsb2NrSW5kZXgi",
        "OjAsImRlbHRhIjp7InRleHQiOiIgeW91IGhhdmUgYSJ9LCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkNERUZHSElK",
        "S0xNTk9QUVJTVFUifWICXhsAAADSAAAAV2MYNwcLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVudC10eXBl",
        "BwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0YSI6eyJ0",
        "ZXh0IjoiIHF1ZXN0aW9uLCBuZWVkIGluZm9ybWF0aW9uLCJ9LCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkMiffOu",
        "N8cAAACvAAAAV2JaE3kLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24v",
        "anNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0YSI6eyJ0ZXh0IjoiIG9yIGp1c3Qi",
        "fSwicCI6ImFiY2RlZmdoaWprbG1uIn0OhYbYAAAAxQAAAFex2HyVCzpldmVudC10eXBlBwARY29udGVudEJsb2NrRGVsdGENOmNv",
        "bnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJjb250ZW50QmxvY2tJbmRleCI6MCwi",
        "ZGVsdGEiOnsidGV4dCI6IiB3YW50IHRvIGNoYXQsIEknIn0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ekEifbt/etsA",
        "AAC+AAAAVz/arUsLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNv",
        "bg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0YSI6eyJ0ZXh0IjoibSBoZXJlIHRvIGhl",
        "bHAuIn0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2In3BzpdqAAAAuQAAAFb6/UHNCzpldmVudC10eXBlBwAQY29udGVudEJs",
        "b2NrU3RvcA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9j",
        "a0luZGV4IjowLCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWjAifYgARNQA",
        "AACWAAAAUScIbLsLOmV2ZW50LXR5cGUHAAttZXNzYWdlU3RvcA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVz",
        "c2FnZS10eXBlBwAFZXZlbnR7InAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHUiLCJzdG9wUmVhc29uIjoiZW5kX3R1cm4ifQBLOLoA",
        "AADwAAAATrxy46MLOmV2ZW50LXR5cGUHAAhtZXRhZGF0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2Fn",
        "ZS10eXBlBwAFZXZlbnR7Im1ldHJpY3MiOnsibGF0ZW5jeU1zIjo2NjB9LCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpB",
        "QiIsInVzYWdlIjp7ImlucHV0VG9rZW5zIjoyLCJvdXRwdXRUb2tlbnMiOjMyLCJzZXJ2ZXJUb29sVXNhZ2UiOnt9LCJ0b3RhbFRv",
        "a2VucyI6MzR9fbYRFsk=",
    ].joined()

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    static func frames(of bytes: [UInt8], chunkSize: Int) throws -> [ByteBuffer] {
        var framer = AWSEventStreamFramer()
        var buffer = ByteBuffer()
        var frames: [ByteBuffer] = []
        var offset = 0
        while offset < bytes.count {
            buffer.writeBytes(bytes[offset..<min(offset + chunkSize, bytes.count)])
            offset += chunkSize
            while let frame = try framer.decode(buffer: &buffer) { frames.append(frame) }
        }
        while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) { frames.append(frame) }
        return frames
    }

    @Test("decodes the botocore-accepted messageStop vector")
    func decodesPublicVector() throws {
        let bytes = Self.bytes(hex: Self.messageStopHex)
        #expect(bytes.count == 123)
        let message = try AWSEventStreamMessage(decoding: ByteBuffer(bytes: bytes))
        #expect(message[header: ":event-type"] == .string("messageStop"))
        #expect(message[header: ":content-type"] == .string("application/json"))
        #expect(message.messageType == "event")
        #expect(String(buffer: message.payload) == #"{"stopReason": "end_turn"}"#)
    }

    @Test("encodes the messageStop vector byte for byte")
    func encodesPublicVector() throws {
        let message = AWSEventStreamMessage.event(type: "messageStop", payload: ByteBuffer(string: #"{"stopReason": "end_turn"}"#))
        #expect(Array(buffer: try message.encoded()) == Self.bytes(hex: Self.messageStopHex))
    }

    @Test("frames a real AWS ConverseStream body into its events, CRCs checked")
    func framesRealCapture() throws {
        let bytes = Array(try #require(Data(base64Encoded: Self.realConverseStreamBase64)))
        let frames = try Self.frames(of: bytes, chunkSize: bytes.count)
        let types = try frames.map { try AWSEventStreamMessage(decoding: $0).eventType }
        #expect(types.first == "messageStart")
        #expect(types.last == "metadata")
        #expect(types.contains("contentBlockDelta"))
        #expect(types.contains("messageStop"))
        #expect(frames.reduce(0) { $0 + $1.readableBytes } == bytes.count)
        // Re-encoding what was decoded reproduces AWS's bytes exactly.
        var reencoded = ByteBuffer()
        for frame in frames { try AWSEventStreamMessage(decoding: frame).encode(into: &reencoded) }
        #expect(Array(buffer: reencoded) == bytes)
    }

    @Test("frames are identical wherever the stream is split", arguments: Array(1...64) + [200, 1000])
    func splitAtEveryBoundary(chunkSize: Int) throws {
        let bytes = Array(try #require(Data(base64Encoded: Self.realConverseStreamBase64)))
        let whole = try Self.frames(of: bytes, chunkSize: bytes.count)
        let split = try Self.frames(of: bytes, chunkSize: chunkSize)
        #expect(split.map { Array(buffer: $0) } == whole.map { Array(buffer: $0) })
    }

    @Test("a split at every single byte offset yields the same frames")
    func splitAtEveryOffset() throws {
        let bytes = Self.bytes(hex: Self.messageStopHex) + Self.bytes(hex: Self.messageStopHex)
        for cut in 0...bytes.count {
            var framer = AWSEventStreamFramer()
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            var frames: [ByteBuffer] = []
            while let frame = try framer.decode(buffer: &buffer) { frames.append(frame) }
            buffer.writeBytes(bytes[cut...])
            while let frame = try framer.decode(buffer: &buffer) { frames.append(frame) }
            #expect(frames.count == 2, "cut at \(cut)")
        }
    }

    @Test("every header value type round-trips")
    func everyHeaderType() throws {
        let uuid = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
        let headers: [AWSEventStreamHeader] = [
            .init(name: "true", value: .bool(true)), .init(name: "false", value: .bool(false)),
            .init(name: "byte", value: .byte(-7)), .init(name: "short", value: .short(-300)),
            .init(name: "int", value: .integer(70_000)), .init(name: "long", value: .long(-5_000_000_000)),
            .init(name: "bytes", value: .byteArray([0, 1, 255])), .init(name: "string", value: .string("héllo")),
            .init(name: "time", value: .timestamp(1_700_000_000_123)), .init(name: "uuid", value: .uuid(uuid)),
        ]
        let message = AWSEventStreamMessage(headers: headers, payload: ByteBuffer(string: "{}"))
        let decoded = try AWSEventStreamMessage(decoding: try message.encoded())
        #expect(decoded == message)
    }

    @Test("a corrupted prelude is refused before waiting for the rest")
    func preludeCRCChecked() throws {
        var bytes = Self.bytes(hex: Self.messageStopHex)
        bytes[3] ^= 0x01
        var framer = AWSEventStreamFramer()
        var buffer = ByteBuffer(bytes: bytes[..<12])
        #expect(throws: AWSEventStreamError.self) { try framer.decode(buffer: &buffer) }
    }

    @Test("a corrupted payload fails the message CRC")
    func messageCRCChecked() throws {
        var bytes = Self.bytes(hex: Self.messageStopHex)
        bytes[100] ^= 0x20
        var framer = AWSEventStreamFramer()
        var buffer = ByteBuffer(bytes: bytes)
        #expect(throws: AWSEventStreamError.self) { try framer.decode(buffer: &buffer) }
        #expect(throws: AWSEventStreamError.self) { try AWSEventStreamMessage(decoding: ByteBuffer(bytes: bytes)) }
    }

    @Test("a stream that ends inside a message is an error")
    func truncatedStream() throws {
        let bytes = Self.bytes(hex: Self.messageStopHex)
        var framer = AWSEventStreamFramer()
        var buffer = ByteBuffer(bytes: bytes.dropLast(5))
        #expect(try framer.decode(buffer: &buffer) == nil)
        #expect(throws: AWSEventStreamError.self) { try framer.decodeLast(buffer: &buffer, seenEOF: true) }
    }

    @Test("duplicate header names are refused")
    func duplicateHeaders() throws {
        let message = AWSEventStreamMessage(headers: [.init(name: "a", value: .bool(true)), .init(name: "a", value: .bool(false))])
        #expect(throws: AWSEventStreamError.self) { try AWSEventStreamMessage(decoding: try message.encoded()) }
    }
}
