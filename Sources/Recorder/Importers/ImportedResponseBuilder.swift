import Foundation
import NIOCore
import WireFormats

/// Turns a captured response body into the cassette's `body` or `stream`.
///
/// A plain (not content-encoded) `text/event-stream` body stored as one string is split into
/// whole SSE events with ``SSEEventFramer``, each at offset 0 because the capture kept no
/// timing. An `application/vnd.amazon.eventstream` body is split into whole messages likewise.
/// Anything else stays one body, base64 when it is encoded or binary.
enum ImportedResponseBuilder {
    static func response(status: Int, headers: [CassetteHeader], body: Data?, reserialized: Bool = false) -> CassetteResponse {
        let contentType = headers.first(named: "content-type")
        let contentEncoding = headers.first(named: "content-encoding")
        guard let body, !body.isEmpty else { return CassetteResponse(status: status, headers: headers) }
        let kind = ResponseStreamKind(contentType: contentType, contentEncoding: contentEncoding)
        let preferBinary = ResponseStreamKind.prefersBinary(contentType: contentType, contentEncoding: contentEncoding)
        if kind == .serverSentEvents, !reserialized {
            return CassetteResponse(status: status, headers: headers, stream: self.sseFrames(body))
        }
        if Self.isAWSEventStream(contentType: contentType, contentEncoding: contentEncoding), let frames = self.awsEventStreamFrames(body) {
            return CassetteResponse(status: status, headers: headers, stream: frames)
        }
        return CassetteResponse(
            status: status,
            headers: headers,
            body: CassetteBody(bytes: body, preferBinary: preferBinary, reserialized: reserialized ? true : nil)
        )
    }

    static func isAWSEventStream(contentType: String?, contentEncoding: String?) -> Bool {
        let encoded = contentEncoding.map { !$0.isEmpty && $0.lowercased() != "identity" } ?? false
        return !encoded && contentType?.lowercased().hasPrefix("application/vnd.amazon.eventstream") == true
    }

    /// An AWS event-stream body as its whole messages (base64 frames, CRCs checked); `nil` when
    /// the bytes are not a clean sequence of messages, which then stay one body.
    static func awsEventStreamFrames(_ body: Data) -> [CassetteFrame]? {
        var buffer = ByteBuffer(bytes: body)
        var framer = AWSEventStreamFramer()
        var frames: [CassetteFrame] = []
        do {
            while let message = try framer.decodeLast(buffer: &buffer, seenEOF: true) {
                frames.append(CassetteFrame(offsetMs: 0, bytes: message.readableBytesView, preferBinary: true))
            }
        } catch {
            return nil
        }
        return frames
    }

    static func sseFrames(_ body: Data) -> [CassetteFrame] {
        var buffer = ByteBuffer(bytes: body)
        var framer = SSEEventFramer()
        var frames: [CassetteFrame] = []
        // The framer never throws: it has no size limit of its own and accepts any bytes.
        while let event = try? framer.decode(buffer: &buffer) {
            frames.append(CassetteFrame(offsetMs: 0, bytes: event.readableBytesView))
        }
        while let last = try? framer.decodeLast(buffer: &buffer, seenEOF: true) {
            frames.append(CassetteFrame(offsetMs: 0, bytes: last.readableBytesView))
        }
        return frames
    }
}
