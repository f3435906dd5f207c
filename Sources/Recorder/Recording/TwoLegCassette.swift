package import Foundation
import NIOCore
import WireFormats

/// One hop of an exchange through `archestra serve`, as the recorder turns it into an
/// interaction. Plain values, so that the recorder does not depend on the proxy: the proxy's
/// capture (`CapturedHop`) is converted by `CassetteTesting`.
package struct RecordedHop: Sendable {
    package var leg: CassetteInteraction.Leg
    package var method: String
    package var path: String
    package var host: String?
    package var requestHeaders: [CassetteHeader]
    package var requestBody: Data
    /// `nil` when no response head came back: such a hop is not written.
    package var status: Int?
    package var responseHeaders: [CassetteHeader]
    /// The body as written or read, each piece with its time after the response head.
    package var responseChunks: [(offsetMs: Int, bytes: Data)]
    package var startedAt: Date
    package var durationMs: Int?

    package init(
        leg: CassetteInteraction.Leg, method: String, path: String, host: String?, requestHeaders: [CassetteHeader], requestBody: Data,
        status: Int?, responseHeaders: [CassetteHeader], responseChunks: [(offsetMs: Int, bytes: Data)], startedAt: Date, durationMs: Int?
    ) {
        self.leg = leg
        self.method = method
        self.path = path
        self.host = host
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.status = status
        self.responseHeaders = responseHeaders
        self.responseChunks = responseChunks
        self.startedAt = startedAt
        self.durationMs = durationMs
    }
}

/// A two-leg cassette, as `archestra serve --record` writes it: the client's hop through the
/// proxy (`leg: client`: the request the client sent, the response it received) followed by the
/// proxy's calls upstream (`leg: upstream`: the request after translation and credential swap,
/// the upstream's answer), frames and timing on both, every secret redacted by
/// ``CassetteRedactor`` exactly as `archestra record` redacts.
///
/// The format is version 1's: the `leg` field was always read, and replay serves only the
/// upstream leg, so older readers load and replay these cassettes too.
package enum TwoLegCassette {
    package static let tool = "archestra serve --record \(RecorderVersion.current)"

    /// The cassette for one exchange; hops without a response are left out.
    package static func cassette(
        client: RecordedHop, upstream: [RecordedHop], provider: String?, upstreamOrigin: String?, kind: CassetteProvenance.Kind,
        redactor: CassetteRedactor = CassetteRedactor()
    ) -> Cassette {
        let provenance = CassetteProvenance(
            kind: kind, upstream: upstreamOrigin, recordedAt: client.startedAt.formatted(.iso8601), tool: Self.tool, provider: provider,
            notes: "Two legs: the client's request to archestra serve and the response it received (leg client), and each request the proxy sent upstream with the upstream's answer (leg upstream)."
        )
        let interactions = ([client] + upstream).compactMap { Self.interaction(from: $0, redactor: redactor) }
        return Cassette(provenance: provenance, interactions: interactions)
    }

    /// The redacted interaction for `hop`; `nil` when it got no response head.
    package static func interaction(from hop: RecordedHop, redactor: CassetteRedactor = CassetteRedactor()) -> CassetteInteraction? {
        guard let status = hop.status else { return nil }
        let request = CassetteRequest(
            method: hop.method, path: hop.path, host: hop.host,
            headers: hop.requestHeaders.filter { !HopByHopHeaders.isHopByHop($0.name) && !["host", "content-length"].contains($0.name.lowercased()) },
            body: hop.requestBody.isEmpty ? nil : CassetteBody(bytes: hop.requestBody))
        let interaction = CassetteInteraction(
            leg: hop.leg, request: request, response: Self.response(status: status, headers: hop.responseHeaders, chunks: hop.responseChunks),
            recordedAt: hop.startedAt.formatted(.iso8601), durationMs: hop.durationMs)
        return redactor.redact(interaction)
    }

    /// A response body cut as `archestra record` cuts it: one frame per whole SSE event, one frame
    /// per chunk for other streaming types, one body otherwise.
    package static func response(status: Int, headers: [CassetteHeader], chunks: [(offsetMs: Int, bytes: Data)]) -> CassetteResponse {
        let contentType = headers.first(named: "content-type")
        let contentEncoding = headers.first(named: "content-encoding")
        let prefersBinary = ResponseStreamKind.prefersBinary(contentType: contentType, contentEncoding: contentEncoding)
        switch ResponseStreamKind(contentType: contentType, contentEncoding: contentEncoding) {
        case .serverSentEvents:
            var framer = SSEEventFramer()
            var pending = ByteBuffer()
            var frames: [CassetteFrame] = []
            for chunk in chunks {
                pending.writeBytes(chunk.bytes)
                while let event = try? framer.decode(buffer: &pending) {
                    frames.append(CassetteFrame(offsetMs: chunk.offsetMs, bytes: event.readableBytesView))
                }
            }
            let last = chunks.last?.offsetMs ?? 0
            while let event = try? framer.decodeLast(buffer: &pending, seenEOF: true) {
                frames.append(CassetteFrame(offsetMs: last, bytes: event.readableBytesView))
            }
            if pending.readableBytes > 0 { frames.append(CassetteFrame(offsetMs: last, bytes: pending.readableBytesView)) }
            return CassetteResponse(status: status, headers: headers, stream: frames)
        case .chunks:
            return CassetteResponse(
                status: status, headers: headers, stream: chunks.map { CassetteFrame(offsetMs: $0.offsetMs, bytes: $0.bytes, preferBinary: prefersBinary) })
        case .whole:
            let whole = chunks.reduce(into: Data()) { $0.append($1.bytes) }
            return CassetteResponse(status: status, headers: headers, body: whole.isEmpty ? nil : CassetteBody(bytes: whole, preferBinary: prefersBinary))
        }
    }
}

extension Cassette {
    /// Whether the cassette holds a client leg: it was recorded through the proxy
    /// (``TwoLegCassette``), and `archestra cassette test` checks both legs.
    package var isTwoLeg: Bool { self.interactions.contains { $0.leg == .client } }

    /// The interactions of one leg, in recorded order (a missing `leg` is the upstream's).
    package func interactions(on leg: CassetteInteraction.Leg) -> [CassetteInteraction] {
        self.interactions.filter { ($0.leg ?? .upstream) == leg }
    }
}

/// How a request the proxy sent upstream differs from the one a two-leg cassette recorded: what
/// `archestra cassette test` reports for a translation or a header that changed.
package enum UpstreamLegComparison {
    /// Headers that differ from one run to the next on their own (framing, the clock a SigV4
    /// signature was made at, trace ids): not compared.
    package static let unstableHeaders: Set<String> = [
        "host", "content-length", "date", "x-amz-date", "x-amz-content-sha256", "traceparent", "tracestate",
    ]

    /// The differences between `sent` (redacted, as the proxy sent it) and `recorded`, each
    /// naming its field: `method`, `path`, `query.<name>`, `body.<json path>` or `body`, and
    /// `header <name>` for a header added, removed or changed (credentials compare redacted, so a
    /// swapped scheme or header shows, never a value). Empty when they agree.
    package static func differences(sent: CassetteRequest, recorded: CassetteRequest) -> [String] {
        var differences = CassetteMatcher().differences(sent, recorded: recorded).map { "\($0.location): sent \($0.received), recorded \($0.recorded)" }
        func values(_ headers: [CassetteHeader], _ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name }.map(\.value)
        }
        let names = Set((sent.headers + recorded.headers).map { $0.name.lowercased() }).subtracting(Self.unstableHeaders).sorted()
        for name in names {
            let sentValues = values(sent.headers, name)
            let recordedValues = values(recorded.headers, name)
            guard sentValues != recordedValues else { continue }
            if recordedValues.isEmpty {
                differences.append("header \(name) added: sent \(sentValues), not recorded")
            } else if sentValues.isEmpty {
                differences.append("header \(name) removed: not sent, recorded \(recordedValues)")
            } else {
                differences.append("header \(name): sent \(sentValues), recorded \(recordedValues)")
            }
        }
        return differences
    }
}
