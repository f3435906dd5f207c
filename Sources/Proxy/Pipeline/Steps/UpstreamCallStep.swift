package import AsyncHTTPClient
import HTTPTypes
package import Logging
import NIOCore
import NIOHTTP1

/// Pipeline step: send the request upstream. Returns at the upstream's response head, its body
/// still streaming; a failure to get that far is mapped to 502/504 by ``UpstreamFailure``.
package struct UpstreamCallStep: Sendable {
    let httpClient: HTTPClient
    let maximumRequestDuration: Duration
    /// Calls sent and not yet answered with a head, for the metrics' gauge.
    let awaitingHead = InFlightCount()

    package init(httpClient: HTTPClient, maximumRequestDuration: Duration) {
        self.httpClient = httpClient
        self.maximumRequestDuration = maximumRequestDuration
    }

    package func call(_ request: UpstreamRequest, exchange: inout ProxyExchange, logger: Logger) async throws(ProxyError) -> HTTPClientResponse {
        // `archestra serve --record` copies the call and its answer; otherwise this is one task-local read.
        var request = request
        var captured: (session: ExchangeCaptureSession, hop: Int)?
        if let session = ExchangeCaptureSession.current {
            let (copying, hop) = session.beginUpstream(request, providerID: exchange.provider.declaration.id)
            request = copying
            captured = (session, hop)
        }
        let outgoing = HTTPClientRequest(request)
        let start = ContinuousClock.now
        self.awaitingHead.increment()
        defer { self.awaitingHead.decrement() }
        let response: HTTPClientResponse
        do {
            let (seconds, _) = self.maximumRequestDuration.components
            response = try await self.httpClient.execute(outgoing, deadline: .now() + .seconds(seconds), logger: logger)
        } catch {
            throw UpstreamFailure.proxyError(for: error, provider: exchange.provider.declaration.id)
        }
        exchange.record.upstreamLatency = ContinuousClock.now - start
        exchange.record.upstreamStatus = Int(response.status.code)
        exchange.record.status = Int(response.status.code)
        if let captured { return captured.session.capturing(response, hop: captured.hop, sent: start) }
        return response
    }
}
