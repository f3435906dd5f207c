package import HTTPTypes
package import NIOCore

/// What the pipeline answers, in our own types so that its steps do not depend on the HTTP
/// server under them (Hummingbird today; a SwiftNIO-level transport could replace it).
///
/// The head goes out as soon as the pipeline returns; a streamed body is written afterwards, so
/// an error before the stream starts keeps its real status.
package struct ProxyResponse: Sendable {
    package var status: HTTPResponse.Status
    package var headers: HTTPFields
    package var body: ProxyResponseBody

    package init(status: HTTPResponse.Status, headers: HTTPFields, body: ProxyResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON error body for `error`, with its `retry-after` when it has one.
    package init(error: ProxyError, body: ByteBuffer, headers extra: HTTPFields = [:]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        headers.append(contentsOf: extra)
        self.init(status: error.status, headers: headers, body: .buffer(body))
    }
}

/// A response body: bytes in hand, or a writer that produces them after the head is sent.
package struct ProxyResponseBody: Sendable {
    package enum Backing: Sendable {
        case buffer(ByteBuffer)
        case stream(contentLength: Int?, cancelsOnClientDisconnect: Bool, write: @Sendable (inout any ProxyBodyWriter) async throws -> Void)
    }

    package let backing: Backing

    package static func buffer(_ buffer: ByteBuffer) -> ProxyResponseBody { ProxyResponseBody(backing: .buffer(buffer)) }

    /// `cancelsOnClientDisconnect`: the transport cancels `write` as soon as the client's
    /// connection closes, even while `write` waits for the upstream (event streams, which can
    /// be silent for minutes).
    package static func stream(
        contentLength: Int?,
        cancelsOnClientDisconnect: Bool = false,
        write: @escaping @Sendable (inout any ProxyBodyWriter) async throws -> Void
    ) -> ProxyResponseBody {
        ProxyResponseBody(backing: .stream(contentLength: contentLength, cancelsOnClientDisconnect: cancelsOnClientDisconnect, write: write))
    }

    package var contentLength: Int? {
        switch self.backing {
        case .buffer(let buffer): return buffer.readableBytes
        case .stream(let contentLength, _, _): return contentLength
        }
    }
}

/// Where a streamed body goes. A write throws when the client has gone away.
package protocol ProxyBodyWriter {
    mutating func write(_ buffer: ByteBuffer) async throws
    /// Ends the body; nothing may be written after it.
    mutating func finish() async throws
    /// Whether the server's shutdown cut this stream (``ShutdownCutoff``): its relay has been
    /// cancelled and should end the stream with the dialect's in-band error, which this writer
    /// then still delivers.
    var isCutByShutdown: Bool { get }
}

extension ProxyBodyWriter {
    package var isCutByShutdown: Bool { false }
}
