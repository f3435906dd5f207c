import Foundation
import Gateway
import Proxy
import Recorder
import Synchronization
import TestSupport
import WireFormats

/// `archestra cassette test` of a two-leg cassette (``TwoLegCassette``, written by
/// `archestra serve --record`): the upstream leg is served by a replay, `archestra serve` runs in
/// front of it with a virtual key for the recorded provider, and each recorded client request is
/// sent as the client sent it (the recorded path: a model-router or provider route). Both legs
/// are checked:
///
/// - upstream: every request the proxy sent, captured as `serve --record` captures it and
///   redacted the same way, against the recorded one (``UpstreamLegComparison``: method, path,
///   query, body by JSON field, headers added, removed or changed, credentials by scheme);
/// - client: what the client received against what it received when recording (status, the
///   headers clients rely on, the body byte for byte, a stream event by event).
enum TwoLegCassetteTest {
    /// One client request and the upstream calls recorded for it (those that follow it in the file).
    struct RecordedExchange {
        var client: CassetteInteraction
        var upstream: [CassetteInteraction]
    }

    static func exchanges(in cassette: Cassette) -> [RecordedExchange] {
        var exchanges: [RecordedExchange] = []
        for interaction in cassette.interactions {
            if interaction.leg == .client {
                exchanges.append(RecordedExchange(client: interaction, upstream: []))
            } else if !exchanges.isEmpty {
                exchanges[exchanges.count - 1].upstream.append(interaction)
            }
        }
        return exchanges
    }

    /// The failures found, each prefixed with its exchange and leg; empty when both legs match.
    static func failures(cassette: Cassette, providerID: String) async throws -> [String] {
        let provider = try ProxiedProvider(id: providerID)
        let exchanges = Self.exchanges(in: cassette)
        let collector = ExchangeCollector()
        return try await withRunningService({ reportPort in
            CassetteReplayServer(
                cassettes: [cassette], host: "127.0.0.1", port: 0, timing: .instant,
                matcher: CassetteTestRunner.matcher, logger: quietLogger, onServerRunning: reportPort)
        }) { replayPort, replayServer in
            var environment = try provider.proxyEnvironment(upstreamPort: replayPort, recordedSigV4: cassette.recordsSigV4)
            // No fallback key: as in a gateway, the key comes from the virtual key, and a request the
            // recording proxy refused for want of a credential is refused again.
            environment[provider.declaration.fallbackAPIKeyVariable] = nil
            let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
            let gateway = try await GatewayRuntime.open(configuration: configuration, logger: quietLogger)
            // The client's credential was redacted: a virtual key for the recorded provider stands
            // in for it, so both the model router (gateway credentials only) and provider routes take
            // it. Its provider key is not the primary one, which callers without a credential get.
            let providerKey = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: providerID, secret: Secret(ProxiedProvider.fallbackKey), isPrimary: false))
            let (_, virtualKey) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [providerKey.id]))
            var failures = try await withRunningService({ (reportPort) -> ProxyService in
                var service = ProxyService(configuration: configuration, gateway: gateway, logger: quietLogger, onServerRunning: reportPort)
                service.exchangeCaptureSink = collector
                return service
            }) { (proxyPort: Int, _: ProxyService) in
                try await withRawHTTPClient { client in
                    let proxy = TestClient(client: client, baseURL: "http://127.0.0.1:\(proxyPort)", mapPath: { $0 })
                    var failures: [String] = []
                    for (index, exchange) in exchanges.enumerated() {
                        failures += await Self.check(exchange, index: index, proxy: proxy, key: virtualKey.exposedValue, collector: collector)
                    }
                    return failures
                }
            }
            failures += await replayServer.unplayedReport().map { "never sent upstream: \($0.description)" }
            return failures
        }
    }

    private static func check(_ exchange: RecordedExchange, index: Int, proxy: TestClient, key: String, collector: ExchangeCollector) async -> [String] {
        let label = "#\(index) \(exchange.client.request.method) \(exchange.client.request.path)"
        var request = ClientRequest(replaying: exchange.client.request)
        request.headers = request.headers.map { CassetteHeader($0.name, $0.value.replacingOccurrences(of: ProxiedProvider.clientKey, with: key)) }
        let received: ObservedResponse
        do {
            received = try await proxy.send(request)
        } catch {
            return ["\(label): \(error)"]
        }
        var failures: [String] = []
        // The capture is handed over as the response ends, a moment after the client has it.
        if let captured = await collector.next(within: .seconds(10)) {
            let sent = captured.upstream.compactMap { TwoLegCassette.interaction(from: RecordedHop($0, leg: .upstream)) }
            if sent.count != exchange.upstream.count {
                failures.append("\(label) upstream leg: the proxy sent \(sent.count) request(s) upstream, recorded \(exchange.upstream.count)")
            }
            for (call, (observed, recorded)) in zip(sent, exchange.upstream).enumerated() {
                let callLabel = "\(label) upstream leg call \(call) \(recorded.request.method) \(recorded.request.path)"
                failures += UpstreamLegComparison.differences(sent: observed.request, recorded: recorded.request).map { "\(callLabel): \($0)" }
            }
        } else {
            failures.append("\(label) upstream leg: the proxy's capture of the exchange never arrived")
        }
        var expected = ObservedResponse(recorded: exchange.client.response)
        var got = received
        if exchange.client.request.path.hasPrefix(ModelRouterIdentity.routePrefix) {
            expected = ModelRouterIdentity.normalized(expected)
            got = ModelRouterIdentity.normalized(got)
        }
        failures += got.differences(from: expected).map { "\(label) client leg: \($0)" }
        return failures
    }
}

/// The model router makes up each translated answer's identity (`id: chatcmpl-<32 hex>`, and
/// `created`, the wall clock), and derives the Responses API's `resp_…`/`msg_…` and generated tool
/// call ids from it: a replay cannot reproduce them. Both sides of a client-leg comparison have
/// those values replaced by `<generated>` first, so that everything else is still compared byte
/// for byte.
enum ModelRouterIdentity {
    static let routePrefix = "/v1/model-router"

    static func normalized(_ response: ObservedResponse) -> ObservedResponse {
        var result = response
        result.body = Self.normalized(response.body)
        result.events = response.events?.map(Self.normalized)
        return result
    }

    static func normalized(_ bytes: Data) -> Data {
        guard var text = String(data: bytes, encoding: .utf8) else { return bytes }
        let identities = Set(text.matches(of: /chatcmpl-([0-9a-f]{32})/).map { String($0.output.1) })
        for identity in identities { text = text.replacingOccurrences(of: identity, with: "<generated>") }
        text.replace(/"(created|created_at)":\s*[0-9]+/) { match in "\"\(match.output.1)\":<generated>" }
        return Data(text.utf8)
    }
}

/// Collects the proxy's captured exchanges for ``TwoLegCassetteTest``, in the order they end.
final class ExchangeCollector: ExchangeCaptureSink {
    private let exchanges = Mutex<[CapturedExchange]>([])

    func exchangeEnded(_ exchange: CapturedExchange) {
        self.exchanges.withLock { $0.append(exchange) }
    }

    /// The oldest exchange not yet taken, polled for until `timeout` (it is handed over as its
    /// response ends, a moment after the client has read the last byte); `nil` when none came.
    func next(within timeout: Duration) async -> CapturedExchange? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let next: CapturedExchange? = self.exchanges.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if let next { return next }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
