// libFuzzer entry point for archestra's parsers (issue 10, fuzzing). Built by `scripts/fuzz`
// with `swiftc -sanitize=fuzzer,address` into `.build-fuzz/`, never by the normal build: the
// parsers' sources are compiled into this one module beside it. The target is chosen by
// `ARCHESTRA_FUZZ_TARGET`.
import Foundation
import NIOCore

enum FuzzTarget: String {
    case sse, jsonLines = "json-lines", eventStream = "event-stream", jsonScanner = "json-scanner"
}

nonisolated(unsafe) var selectedTarget: FuzzTarget = .sse

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["ARCHESTRA_FUZZ_TARGET"] ?? "sse"
    guard let target = FuzzTarget(rawValue: name) else {
        print("unknown ARCHESTRA_FUZZ_TARGET \(name)")
        exit(2)
    }
    selectedTarget = target
    return 0
}

/// Feeds `bytes` to a framer the way the relay does: in pieces (split where the first byte says),
/// then end of stream. Every frame must be a non-empty prefix of what remained.
func frame<Framer: NIOSingleStepByteToMessageDecoder>(_ framer: inout Framer, _ bytes: [UInt8]) where Framer.InboundOut == ByteBuffer {
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
            return  // a refused stream ends the relay with an in-band error
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

struct Usage: Decodable {
    let prompt_tokens: Int?
    let completion_tokens: Int?
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch selectedTarget {
    case .sse:
        var framer = SSEEventFramer()
        frame(&framer, bytes)
        _ = SSEEvent(parsing: ByteBuffer(bytes: bytes))
    case .jsonLines:
        var framer = JSONLinesFramer()
        frame(&framer, bytes)
    case .eventStream:
        var framer = AWSEventStreamFramer()
        frame(&framer, bytes)
        _ = try? AWSEventStreamMessage(decoding: ByteBuffer(bytes: bytes))
    case .jsonScanner:
        let buffer = ByteBuffer(bytes: bytes)
        _ = JSONObjectScanner.lastObject(forKey: "usage", in: buffer, as: Usage.self)
        _ = JSONObjectScanner.contains(Array("\"usage\"".utf8), in: buffer)
    }
    return 0
}
