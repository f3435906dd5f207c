import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import WireFormats

/// Forwards one request upstream, relays the response, and records the exchange.
struct CassetteExchangeRelay: Sendable {
    let client: HTTPClient
    let upstream: URL
    let store: CassetteRecordingStore
    let redactor: CassetteRedactor
    /// Bounds how long one exchange may take, streams included.
    var timeout: TimeAmount = .minutes(10)

    func forward(_ request: Request, logger: Logger) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: CassetteRecordingProxy.maximumRequestBodyBytes)
        let target = request.head.path ?? "/"
        let basePath = self.upstream.path.hasSuffix("/") ? String(self.upstream.path.dropLast()) : self.upstream.path
        let upstreamPath = basePath + target

        var outbound = HTTPClientRequest(url: Self.origin(of: self.upstream) + upstreamPath)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        var recordedHeaders: [CassetteHeader] = []
        for field in request.headers {
            let name = field.name.canonicalName
            // Host and framing are set by the client for the upstream connection.
            if HopByHopHeaders.isHopByHop(name) || name == "host" || name == "content-length" { continue }
            outbound.headers.add(name: field.name.rawName, value: field.value)
            recordedHeaders.append(CassetteHeader(field.name.rawName, field.value))
        }
        if body.readableBytes > 0 {
            outbound.body = .bytes(body)
        }
        let recordedRequest = CassetteRequest(
            method: request.method.rawValue,
            path: upstreamPath,
            host: self.upstream.host,
            headers: recordedHeaders,
            body: body.readableBytes == 0 ? nil : CassetteBody(bytes: body.readableBytesView)
        )

        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = ISO8601DateFormatter().string(from: Date())
        let upstreamResponse: HTTPClientResponse
        do {
            upstreamResponse = try await self.client.execute(outbound, timeout: self.timeout, logger: logger)
        } catch {
            // Not recorded: there is no upstream answer to replay. The error text is AHC's
            // and carries no request data.
            logger.error("Upstream request failed", metadata: ["upstream.error": "\(error)"])
            let body = OpenAIErrorBody(message: "upstream request failed: \(error)", type: "upstream_error")
            return Response(
                status: .badGateway,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.data))
            )
        }
        let headArrived = clock.now

        let responseHeaders = upstreamResponse.headers.map { CassetteHeader($0.name, $0.value) }
        let contentType = upstreamResponse.headers.first(name: "content-type")
        let contentEncoding = upstreamResponse.headers.first(name: "content-encoding")
        let kind = ResponseStreamKind(contentType: contentType, contentEncoding: contentEncoding)
        let prefersBinary = ResponseStreamKind.prefersBinary(contentType: contentType, contentEncoding: contentEncoding)
        let status = Int(upstreamResponse.status.code)

        let store = self.store
        let redactor = self.redactor
        let responseBody = ResponseBody { writer in
            var frames: [CassetteFrame] = []
            var whole = ByteBuffer()
            func offsetMs() -> Int { (clock.now - headArrived).wholeMilliseconds }
            switch kind {
            case .serverSentEvents:
                let events = upstreamResponse.body.decode(
                    using: SSEEventFramer(),
                    maximumBufferSize: CassetteRecordingProxy.maximumEventBytes
                )
                for try await event in events {
                    frames.append(CassetteFrame(offsetMs: offsetMs(), bytes: event.readableBytesView))
                    try await writer.write(event)
                }
            case .chunks:
                for try await chunk in upstreamResponse.body {
                    frames.append(CassetteFrame(offsetMs: offsetMs(), bytes: chunk.readableBytesView, preferBinary: prefersBinary))
                    try await writer.write(chunk)
                }
            case .whole:
                for try await chunk in upstreamResponse.body {
                    whole.writeImmutableBuffer(chunk)
                    try await writer.write(chunk)
                }
            }
            let elapsed = clock.now - started
            let recordedResponse = CassetteResponse(
                status: status,
                headers: responseHeaders,
                body: kind == .whole && whole.readableBytes > 0
                    ? CassetteBody(bytes: whole.readableBytesView, preferBinary: prefersBinary) : nil,
                stream: kind == .whole ? nil : frames
            )
            let interaction = CassetteInteraction(
                request: recordedRequest,
                response: recordedResponse,
                recordedAt: startedAt,
                durationMs: elapsed.wholeMilliseconds
            )
            let redacted = redactor.redact(interaction)
            let metadata: Logger.Metadata = [
                "cassette.method": "\(redacted.request.method)",
                "cassette.path": "\(redacted.request.path)",
                "upstream.status": "\(status)",
            ]
            // Saved before the body ends, so a client that has its whole response knows the
            // exchange is on disk (scripts stop the recorder right after their last call).
            // A failed save is logged, not thrown: the client's response is still good.
            do {
                try await store.append(redacted)
                logger.info("Recorded exchange", metadata: metadata)
            } catch {
                logger.error("Could not save recorded exchange", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
            try await writer.finish(nil)
        }

        var headers = HTTPFields()
        for header in responseHeaders where !HopByHopHeaders.isHopByHop(header.name) && header.name.lowercased() != "content-length" {
            guard let name = HTTPField.Name(header.name) else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: responseBody)
    }

    private static func origin(of url: URL) -> String {
        var origin = "\(url.scheme ?? "https")://\(url.host ?? "")"
        if let port = url.port { origin += ":\(port)" }
        return origin
    }
}
