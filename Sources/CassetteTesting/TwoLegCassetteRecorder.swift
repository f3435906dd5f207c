import Foundation
package import Logging
import NIOCore
package import Proxy
package import Recorder
import ServiceLifecycle
import Synchronization

/// `archestra serve --record DIR`: one two-leg cassette (``TwoLegCassette``) per proxied
/// request, written into `DIR`.
///
/// The proxy hands every exchange over when its client response has ended
/// (``ExchangeCaptureSink``); that only queues it. This service's own task redacts, frames and
/// writes each cassette atomically, off the request path. A full queue drops the exchange and
/// counts it (``droppedCount``), so a slow disk never slows a request.
///
/// Run it before the proxy in one service group: graceful shutdown stops services in reverse
/// order, so the proxy drains first and this service then writes everything queued before it ends.
package final class TwoLegCassetteRecorder: ExchangeCaptureSink, Service, CustomStringConvertible {
    /// Exchanges waiting to be written.
    package static let queueCapacity = 256

    package let directory: String
    private let kind: CassetteProvenance.Kind
    private let logger: Logger
    private let stream: AsyncStream<CapturedExchange>
    private let continuation: AsyncStream<CapturedExchange>.Continuation
    private let dropped = Atomic<Int>(0)
    private let written = Atomic<Int>(0)

    /// Creates `directory` if it does not exist.
    ///
    /// - Parameter kind: `.recordedFromEmulator` when the upstreams are our own emulators.
    package init(directory: String, kind: CassetteProvenance.Kind = .recorded, logger: Logger) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.kind = kind
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: CapturedExchange.self, bufferingPolicy: .bufferingOldest(Self.queueCapacity))
    }

    package var description: String { "TwoLegCassetteRecorder" }

    /// Exchanges dropped because the queue was full.
    package var droppedCount: Int { self.dropped.load(ordering: .relaxed) }
    /// Exchanges taken from the queue so far (each numbered in its file name), written or not.
    package var handledCount: Int { self.written.load(ordering: .relaxed) }

    package func exchangeEnded(_ exchange: CapturedExchange) {
        if case .dropped = self.continuation.yield(exchange) {
            self.dropped.add(1, ordering: .relaxed)
        }
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            for await exchange in self.stream { self.write(exchange) }
        } onGracefulShutdown: {
            // The proxy has drained (it stops first): what is queued is written, then the loop ends.
            self.continuation.finish()
        }
        let dropped = self.droppedCount
        if dropped > 0 {
            self.logger.warning("Exchanges not recorded: the write queue was full", metadata: ["archestra.record.dropped": "\(dropped)"])
        }
    }

    /// Writes one exchange's cassette and returns its path; `nil` when it could not be written
    /// (logged).
    @discardableResult
    package func write(_ exchange: CapturedExchange) -> String? {
        let sequence = self.written.add(1, ordering: .relaxed).newValue
        let cassette = Self.cassette(for: exchange, kind: self.kind)
        let path = (self.directory as NSString).appendingPathComponent(Self.fileName(for: exchange, sequence: sequence))
        do {
            try cassette.write(to: path)
            self.logger.debug("Recorded exchange", metadata: ["archestra.record.file": "\(path)"])
            return path
        } catch {
            self.logger.error("Could not write a recorded exchange", metadata: ["archestra.record.file": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    /// The redacted two-leg cassette of `exchange`.
    package static func cassette(for exchange: CapturedExchange, kind: CassetteProvenance.Kind) -> Cassette {
        let firstUpstream = exchange.upstream.first
        // The provider called, else the one the route names (a request the proxy answered itself).
        let routePath = String(exchange.client.target.split(separator: "?", maxSplits: 1).first ?? "")
        let routeProvider = ProxyRoute(rawPath: routePath).map(\.providerID).flatMap { ProviderCatalog.standard.declaration(for: $0)?.id }
        return TwoLegCassette.cassette(
            client: RecordedHop(exchange.client, leg: .client),
            upstream: exchange.upstream.map { RecordedHop($0, leg: .upstream) },
            provider: firstUpstream?.providerID ?? routeProvider,
            upstreamOrigin: firstUpstream.flatMap { hop in hop.host.map { "\(hop.scheme ?? "https")://\($0)" } },
            kind: kind)
    }

    /// `20261207T041503.120Z`: UTC, sortable, no characters a file system minds.
    private static let fileTime = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted, includingFractionalSeconds: true)

    /// `20261207T041503.120Z-0001-v1-model-router-chat-completions.json`: sorted by time, unique
    /// within a run, and saying which route was called.
    static func fileName(for exchange: CapturedExchange, sequence: Int) -> String {
        let path = exchange.client.target.split(separator: "?").first.map(String.init) ?? ""
        let slug = String(path.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }).split(separator: "-").prefix(8).joined(separator: "-")
        let number = String(repeating: "0", count: max(0, 4 - String(sequence).count)) + String(sequence)
        return "\(exchange.client.startedAt.formatted(Self.fileTime))-\(number)-\(slug.isEmpty ? "root" : slug).json"
    }
}

extension RecordedHop {
    /// The proxy's capture of a hop, for the recorder.
    package init(_ hop: CapturedHop, leg: CassetteInteraction.Leg) {
        self.init(
            leg: leg, method: hop.method, path: hop.target, host: hop.host,
            requestHeaders: hop.requestHeaders.map { CassetteHeader($0.name, $0.value) },
            requestBody: Data(hop.requestBody.readableBytesView),
            status: hop.status,
            responseHeaders: hop.responseHeaders.map { CassetteHeader($0.name, $0.value) },
            responseChunks: hop.responseChunks.map { (offsetMs: Self.milliseconds($0.offset), bytes: Data($0.bytes.readableBytesView)) },
            startedAt: hop.startedAt,
            durationMs: hop.duration.map(Self.milliseconds))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
