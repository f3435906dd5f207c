package import AsyncHTTPClient
import HTTPTypes
package import Logging
import NIOCore
import NIOHTTP1

/// Pipeline step: the client's response, streaming the upstream's body through
/// ``ResponseRelay``. The head (the upstream's real status and headers) goes out as soon as this
/// returns; ``LogRequestStep`` runs when the body has been written, or has failed.
package struct RelayResponseStep: Sendable {
    let maximumEventBytes: Int
    /// SSE comments while the tool-call gate holds messages back.
    let keepAliveInterval: Duration
    let log: LogRequestStep

    package init(maximumEventBytes: Int, keepAliveInterval: Duration = .seconds(10), log: LogRequestStep) {
        self.maximumEventBytes = maximumEventBytes
        self.keepAliveInterval = keepAliveInterval
        self.log = log
    }

    /// Bodies up to this size with a declared length are relayed as one buffer.
    static let wholeBodyLimit = 256 * 1024

    package func respond(with upstream: HTTPClientResponse, exchange: ProxyExchange, logger: Logger) -> ProxyResponse {
        let headers = ForwardedHeaders.clientResponseHeaders(from: upstream.headers)
        let relay = ResponseRelay(
            clientDialect: exchange.clientDialect,
            upstreamDialect: exchange.upstreamDialect,
            providerID: exchange.provider.declaration.id,
            maximumEventBytes: self.maximumEventBytes,
            dropsAddedUsageChunk: exchange.addedStreamUsage
        )
        let contentEncoding = upstream.headers.first(name: "content-encoding")?.lowercased() ?? "identity"
        // Compressed bytes have no message boundaries to find: relay those as opaque chunks.
        let framing = contentEncoding == "identity" ? StreamFraming(contentType: upstream.headers.first(name: "content-type")) : nil
        let contentLength = framing != nil ? nil : upstream.headers.first(name: "content-length").flatMap(Int.init)
        // A stream is cancelled the moment its client goes, even while the upstream is silent;
        // bodies relayed whole are short and bounded by the upstream read timeout.
        let cancelsOnDisconnect = true
        let record = exchange.record
        let log = self.log
        let status = HTTPResponse.Status(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase)

        // The tool policies hold a successful answer to account; errors pass as they are.
        let policy = (200..<300).contains(Int(upstream.status.code)) ? exchange.toolPolicy : nil
        if let policy, framing == nil {
            return self.refusingWholeAnswer(upstream, policy: policy, dialect: exchange.upstreamDialect, status: status, headers: headers, record: record, logger: logger)
        }
        // A stream under the policies goes through their filter, with keep-alives while it holds.
        let filter = policy?.streamFilter()
        let keepAlive = filter != nil ? self.keepAliveInterval : nil
        if framing == nil, let contentLength, contentLength <= Self.wholeBodyLimit {
            return ProxyResponse(status: status, headers: headers, body: .stream(contentLength: contentLength) { writer in
                var record = record
                do {
                    // A small body of known length is read in one go and written in one go:
                    // fewer suspensions per request than relaying AsyncHTTPClient's chunks.
                    let whole = try await upstream.body.collect(upTo: contentLength)
                    record.responseBytes = whole.readableBytes
                    record.capturedBodies?.response.append(whole)
                    if let usage = relay.upstreamDialect.usage(inResponseBody: whole) { record.usage.merge(usage) }
                    try await writer.write(whole)
                    try await writer.finish()
                    log.log(record, to: logger)
                } catch {
                    record.errorCode = "relay_failed"
                    log.log(record, to: logger)
                    throw error
                }
            })
        }
        return ProxyResponse(status: status, headers: headers, body: .stream(contentLength: contentLength, cancelsOnClientDisconnect: cancelsOnDisconnect) { writer in
            var record = record
            var tally = RelayTally(responseCapture: record.capturedBodies?.response)
            do {
                if let framing {
                    try await relay.relayMessages(from: upstream.body, framing: framing, to: &writer, tally: &tally, filter: filter, keepAlive: keepAlive)
                } else {
                    try await relay.relayChunks(from: upstream.body, to: &writer, tally: &tally)
                }
                record.add(tally)
                log.log(record, to: logger)
            } catch {
                record.add(tally)
                record.errorCode = RelayTally.failureCode(for: error)
                log.log(record, to: logger)
                throw error
            }
        })
    }

    /// A whole answer under the tool policies: read (up to the stream event limit), refused in
    /// the dialect's shape when a call is blocked, written in one go.
    private func refusingWholeAnswer(
        _ upstream: HTTPClientResponse, policy: ToolPolicyEnforcement, dialect: any ProviderDialect, status: HTTPResponse.Status, headers: HTTPFields, record: RequestLogRecord, logger: Logger
    ) -> ProxyResponse {
        let log = self.log
        let limit = self.maximumEventBytes
        return ProxyResponse(status: status, headers: headers, body: .stream(contentLength: nil, cancelsOnClientDisconnect: true) { writer in
            var record = record
            do {
                var whole = try await upstream.body.collect(upTo: limit)
                if let (refused, blocked) = policy.refuse(answer: whole) {
                    whole = refused
                    record.blockedToolCalls = blocked
                }
                record.responseBytes = whole.readableBytes
                if let usage = dialect.usage(inResponseBody: whole) { record.usage.merge(usage) }
                try await writer.write(whole)
                try await writer.finish()
                log.log(record, to: logger)
            } catch {
                record.errorCode = RelayTally.failureCode(for: error)
                log.log(record, to: logger)
                throw error
            }
        })
    }
}
