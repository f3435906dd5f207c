package import Gateway
package import Hummingbird
import HTTPTypes
import NIOCore

/// The Hummingbird edge of ``ProxyPipeline``: turns the server's request into an
/// ``IncomingRequest`` and the pipeline's ``ProxyResponse`` back into the server's response. The
/// only place the pipeline meets Hummingbird's types.
package struct PipelineResponder: Sendable {
    let pipeline: ProxyPipeline
    let addresses: ClientAddressResolver
    /// `archestra serve --record`: both legs of every exchange; `nil` captures nothing.
    let capture: (any ExchangeCaptureSink)?
    /// Ends open streams with an in-band error just before the shutdown grace runs out.
    let cutoff: ShutdownCutoff?

    package init(pipeline: ProxyPipeline, addresses: ClientAddressResolver, capture: (any ExchangeCaptureSink)? = nil, cutoff: ShutdownCutoff? = nil) {
        self.pipeline = pipeline
        self.addresses = addresses
        self.capture = capture
        self.cutoff = cutoff
    }

    package func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        guard let capture = self.capture else { return try await self.handle(request, context: context, session: nil) }
        var target = request.uri.path
        if let query = request.uri.query { target += "?\(query)" }
        let session = ExchangeCaptureSession(
            client: CapturedHop(method: request.method.rawValue, target: target, host: request.head.authority, requestHeaders: request.headers.map { (name: $0.name.rawName, value: $0.value) }),
            sink: capture)
        // The upstream calls made for this request find the session through the task-local.
        return try await ExchangeCaptureSession.$current.withValue(session) {
            try await self.handle(request, context: context, session: session)
        }
    }

    private func handle(_ request: Request, context: ProxyRequestContext, session: ExchangeCaptureSession?) async throws -> Response {
        let contentLength = request.headers[.contentLength].flatMap { Int($0) }
        var incoming = IncomingRequest(
            method: request.method,
            path: request.uri.path,
            query: request.uri.query,
            headers: request.headers,
            clientAddress: self.addresses.clientAddress(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers[values: .xForwardedFor]
            ),
            body: .streaming(request.body, declaredLength: contentLength)
        )
        if let session { incoming.body = session.capturingClientBody(incoming.body) }
        let pipeline = self.pipeline
        let logger = context.logger
        guard let departure = context.departure else {
            let response = await pipeline.handle(incoming, logger: logger)
            return Response(session?.capturing(response) ?? response)
        }
        // Until the upstream's head arrives the pipeline runs in a task that the client's
        // departure cancels: an abandoned request frees its upstream connection and its
        // concurrency slot at once instead of when the upstream answers (issue 10, item 4).
        let response = await departure.run { await pipeline.handle(incoming, logger: logger) }
        if departure.hasLeft {
            // What the cancelled pipeline answered (a failed store read, a cut-off body) is no
            // answer to give; nobody is reading it anyway.
            departure.closeConnection()
            throw CancellationError()
        }
        return Response(session?.capturing(response) ?? response, departure: departure, cutoff: self.cutoff)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("x-forwarded-for")!
}

extension Response {
    /// The server's response for a pipeline answer. A body that asks to be cancelled when the
    /// client goes away is cancelled by the connection's ``ClientDeparture``, even while it waits
    /// on a silent upstream; the connection stays open for the client's next request. Such a
    /// body is also cut by the server's `cutoff` just before the shutdown grace runs out, and
    /// then ends with what its relay wrote after the cut (the dialect's in-band error).
    package init(_ response: ProxyResponse, departure: ClientDeparture? = nil, cutoff: ShutdownCutoff? = nil) {
        let body: ResponseBody
        switch response.body.backing {
        case .buffer(let buffer):
            body = ResponseBody(byteBuffer: buffer)
        case .stream(let contentLength, let cancelsOnClientDisconnect, let write):
            body = ResponseBody(contentLength: contentLength) { writer in
                guard cancelsOnClientDisconnect, let departure else {
                    var sink: any ProxyBodyWriter = HummingbirdBodyWriter(writer: writer, cut: nil)
                    return try await write(&sink)
                }
                let cut = cutoff.map { _ in StreamCut() }
                var sink: any ProxyBodyWriter = HummingbirdBodyWriter(writer: writer, cut: cut)
                try await departure.cancellingOnDeparture(orCutoff: cutoff, marking: cut) {
                    try await write(&sink)
                }
                guard let cut, cut.isCut else { return }
                // The relay's task was cancelled, so NIO refused its writes: this task writes
                // what it wrote after the cut. Without an end (a stream with no in-band error
                // form), the body stays unfinished: closing is the signal, never a clean end.
                let ending = cut.ending
                guard !ending.endedBeforeCut else { return }
                guard ending.finished else { throw CancellationError() }
                for buffer in ending.held { try await writer.write(buffer) }
                try await writer.finish(nil)
            }
        }
        self.init(status: response.status, headers: response.headers, body: body)
    }
}

/// Hummingbird's body writer behind our ``ProxyBodyWriter``. Once its stream is cut by the
/// shutdown (``StreamCut``), writes are held for the response's own task to deliver.
struct HummingbirdBodyWriter: ProxyBodyWriter {
    var writer: any ResponseBodyWriter
    let cut: StreamCut?

    var isCutByShutdown: Bool { self.cut?.isCut ?? false }

    mutating func write(_ buffer: ByteBuffer) async throws {
        if let cut, cut.isCut { return cut.hold(buffer) }
        try await self.writer.write(buffer)
    }

    mutating func finish() async throws {
        if let cut, cut.isCut { return cut.holdFinish() }
        try await self.writer.finish(nil)
        self.cut?.noteEnded()
    }
}
