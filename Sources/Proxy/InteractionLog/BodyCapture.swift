package import NIOCore
package import WireFormats

/// The first bytes of a body, up to a limit, for the interaction log: what a relay has written
/// so far, never more than ``limit`` however long the stream runs.
package struct BodyCapture: Sendable {
    package let limit: Int
    package private(set) var bytes = ByteBuffer()
    /// Bytes went past ``limit`` and were not kept.
    package private(set) var isTruncated = false

    package init(limit: Int) {
        self.limit = limit
    }

    package mutating func append(_ buffer: ByteBuffer) {
        let room = self.limit - self.bytes.readableBytes
        guard room > 0 else {
            if buffer.readableBytes > 0 { self.isTruncated = true }
            return
        }
        if buffer.readableBytes > room {
            self.isTruncated = true
            if let head = buffer.getSlice(at: buffer.readerIndex, length: room) {
                var head = head
                self.bytes.writeBuffer(&head)
            }
        } else {
            var buffer = buffer
            self.bytes.writeBuffer(&buffer)
        }
    }
}

/// Bodies kept for the interaction log when `ARCHESTRA_INTERACTION_LOG_BODIES` is on; `nil` in
/// the record otherwise, so nothing is copied.
///
/// Scrubbing happens off the request path, in the writer: ``secrets`` are the credentials this
/// request presented or used (as ``Secret``s, which never print), so the writer can take their
/// exact values out of both bodies.
package struct CapturedBodies: Sendable {
    package var request: BodyCapture
    package var response: BodyCapture
    package var secrets: [Secret]

    package init(limit: Int, secrets: [Secret]) {
        self.request = BodyCapture(limit: limit)
        self.response = BodyCapture(limit: limit)
        self.secrets = secrets
    }

    /// Bytes held, both bodies.
    package var byteCount: Int { self.request.bytes.readableBytes + self.response.bytes.readableBytes }
}
