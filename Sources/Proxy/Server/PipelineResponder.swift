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

    package init(pipeline: ProxyPipeline, addresses: ClientAddressResolver) {
        self.pipeline = pipeline
        self.addresses = addresses
    }

    package func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        let contentLength = request.headers[.contentLength].flatMap { Int($0) }
        let incoming = IncomingRequest(
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
        let response = await self.pipeline.handle(incoming, logger: context.logger)
        return Response(response, request: request)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("x-forwarded-for")!
}

extension Response {
    /// The server's response for a pipeline answer. A body that asks to be cancelled when the
    /// client goes away is written inside Hummingbird's inbound-close watch, which cancels it
    /// even while it waits on a silent upstream.
    package init(_ response: ProxyResponse, request: Request? = nil) {
        let body: ResponseBody
        switch response.body.backing {
        case .buffer(let buffer):
            body = ResponseBody(byteBuffer: buffer)
        case .stream(let contentLength, let cancelsOnClientDisconnect, let write):
            body = ResponseBody(contentLength: contentLength) { writer in
                var sink: any ProxyBodyWriter = HummingbirdBodyWriter(writer: writer)
                if cancelsOnClientDisconnect, var request {
                    // The pipeline has read the body to its end (it asks for this only then).
                    // Replacing it keeps Hummingbird's link to the connection's inbound stream, so
                    // the watch below starts after this request and sees the connection close;
                    // watching the consumed original would miss the end of the body it expects.
                    request.body = RequestBody(buffer: ByteBuffer())
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await write(&sink)
                    }
                } else {
                    try await write(&sink)
                }
            }
        }
        self.init(status: response.status, headers: response.headers, body: body)
    }
}

/// Hummingbird's body writer behind our ``ProxyBodyWriter``.
struct HummingbirdBodyWriter: ProxyBodyWriter {
    var writer: any ResponseBodyWriter

    mutating func write(_ buffer: ByteBuffer) async throws {
        try await self.writer.write(buffer)
    }

    mutating func finish() async throws {
        try await self.writer.finish(nil)
    }
}
