import Foundation
import NIOFoundationCompat
import HTTPTypes
import Hummingbird
package import Logging
import NIOCore
import ServiceLifecycle
import WireFormats

/// Serves recorded interactions as if it were the upstream.
///
/// Each request is matched against the cassettes (see ``CassetteMatcher``); the recorded status
/// and headers are written (hop-by-hop and framing headers dropped, `content-encoding` kept so
/// encoded bodies stay valid), then the whole body exactly, or each stream frame as its own
/// chunk at the time ``ReplayTiming`` gives. A miss answers 404 with an OpenAI-shaped error
/// whose `type` is `cassette_miss`, and logs the nearest recorded request and the differences.
/// `GET /healthz` answers 200 without touching the cassettes. When the service stops, the
/// interactions left unplayed are logged; ``unplayedReport()`` returns them at any time.
package struct CassetteReplayServer: Service {
    /// Largest request body accepted, so a runaway client cannot exhaust memory.
    package static let maximumRequestBodyBytes = 32 * 1024 * 1024

    package let playback: CassettePlayback
    private let host: String
    private let port: Int
    private let timing: ReplayTiming
    private let logger: Logger
    private let onServerRunning: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - port: `0` binds any free port; the bound port is passed to `onServerRunning`.
    package init(
        cassettes: [Cassette],
        host: String,
        port: Int,
        timing: ReplayTiming,
        matcher: CassetteMatcher,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) {
        self.playback = CassettePlayback(cassettes: cassettes, matcher: matcher)
        self.host = host
        self.port = port
        self.timing = timing
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// Recorded interactions not yet served.
    package func unplayedReport() async -> [CassetteUnplayedInteraction] {
        await self.playback.unplayed()
    }

    /// Runs until graceful shutdown, then logs the unplayed report.
    package func run() async throws {
        let playback = self.playback
        let timing = self.timing
        let logger = self.logger
        let responder = CallbackResponder<BasicRequestContext> { request, context in
            try await Self.respond(to: request, context: context, playback: playback, timing: timing)
        }
        let onServerRunning = self.onServerRunning
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(self.host, port: self.port)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService()
        let unplayed = await playback.unplayed()
        if unplayed.isEmpty {
            logger.info("Every recorded interaction was played")
        } else {
            logger.warning(
                "Recorded interactions were not played",
                metadata: [
                    "cassette.unplayed_count": "\(unplayed.count)",
                    "cassette.unplayed": .array(unplayed.map { .string($0.description) }),
                ]
            )
        }
    }

    private static func respond(
        to request: Request,
        context: BasicRequestContext,
        playback: CassettePlayback,
        timing: ReplayTiming
    ) async throws -> Response {
        if request.method == .get, request.uri.path == "/healthz" {
            return Response(status: .ok)
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumRequestBodyBytes)
        let received = CassetteRequest(head: request.head, body: body)
        let interaction: CassetteInteraction
        do {
            interaction = try await playback.claim(received)
        } catch {
            context.logger.error(
                "Cassette miss",
                metadata: [
                    "cassette.request": "\(error.request)",
                    "cassette.nearest": "\(error.nearest ?? "(none)")",
                    "cassette.differences": .array(error.differences.map { .string($0.description) }),
                ]
            )
            let errorBody = OpenAIErrorBody(message: error.description, type: "cassette_miss")
            return Response(
                status: .notFound,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(data: errorBody.data))
            )
        }
        return Self.response(replaying: interaction.response, timing: timing)
    }

    static func response(replaying recorded: CassetteResponse, timing: ReplayTiming) -> Response {
        let status = HTTPResponse.Status(code: recorded.status)
        let headers = recorded.headers.httpFields(dropping: HopByHopHeaders.replayDropped)
        guard let frames = recorded.stream else {
            let bytes = recorded.body?.bytes ?? Data()
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: bytes)))
        }
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody { writer in
                let clock = ContinuousClock()
                let start = clock.now
                for frame in frames {
                    let delay = timing.delay(forOffsetMs: frame.offsetMs)
                    if delay > .zero {
                        try await clock.sleep(until: start.advanced(by: delay))
                    }
                    try await writer.write(ByteBuffer(data: frame.bytes))
                }
                try await writer.finish(nil)
            }
        )
    }
}
