import AsyncHTTPClient
package import Foundation
import HTTPTypes
import Hummingbird
package import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WireFormats

/// A reverse proxy that forwards every request to one upstream and records each exchange.
///
/// Responses are relayed as they arrive: SSE event by event, other bodies chunk by chunk, never
/// buffered whole before the client sees them. Each completed exchange is redacted (see
/// ``CassetteRedactor``) and the cassette file rewritten atomically, so the file is always a
/// valid cassette and secrets never reach it. Redirects are not followed and bodies are not
/// decompressed: the cassette keeps what the upstream sent.
package struct CassetteRecordingProxy: Service {
    package static let maximumRequestBodyBytes = 32 * 1024 * 1024
    /// Largest single SSE event accepted, bounding memory on a stream with no blank lines.
    package static let maximumEventBytes = 16 * 1024 * 1024

    private let upstream: URL
    private let store: CassetteRecordingStore
    private let host: String
    private let port: Int
    private let redactor: CassetteRedactor
    private let connectTimeout: TimeAmount
    private let logger: Logger
    private let onServerRunning: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - upstream: Base URL requests are forwarded to; a path in it is prefixed to each request path.
    ///   - cassettePath: File the cassette is written to (replaced, not appended to).
    ///   - provenanceKind: `.recorded`, or `.recordedFromEmulator` when the upstream is our own emulator.
    ///   - connectTimeout: How long to keep trying to connect before answering 502; the HTTP
    ///     client retries a refused connection until then.
    package init(
        upstream: URL,
        cassettePath: String,
        host: String,
        port: Int,
        provenanceKind: CassetteProvenance.Kind = .recorded,
        redactor: CassetteRedactor = CassetteRedactor(),
        connectTimeout: Duration = .seconds(10),
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) {
        self.upstream = upstream
        var origin = "\(upstream.scheme ?? "https")://\(upstream.host ?? "")"
        if let upstreamPort = upstream.port { origin += ":\(upstreamPort)" }
        let provenance = CassetteProvenance(
            kind: provenanceKind,
            upstream: origin,
            recordedAt: ISO8601DateFormatter().string(from: Date()),
            tool: RecorderVersion.tool
        )
        self.store = CassetteRecordingStore(path: cassettePath, provenance: provenance)
        self.host = host
        self.port = port
        self.redactor = redactor
        let (seconds, attoseconds) = connectTimeout.components
        self.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// The cassette as recorded so far.
    package func cassette() async -> Cassette {
        await self.store.snapshot
    }

    package func run() async throws {
        try await self.store.writeInitial()
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: self.connectTimeout)
        try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            let relay = CassetteExchangeRelay(
                client: client,
                upstream: self.upstream,
                store: self.store,
                redactor: self.redactor
            )
            let responder = CallbackResponder<BasicRequestContext> { request, context in
                try await relay.forward(request, logger: context.logger)
            }
            let onServerRunning = self.onServerRunning
            let app = Application(
                responder: responder,
                configuration: ApplicationConfiguration(address: .hostname(self.host, port: self.port)),
                onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                logger: self.logger
            )
            try await app.runService()
        }
    }
}
