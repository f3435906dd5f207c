package import AsyncHTTPClient
package import Hummingbird
package import Logging
import NIOCore
import NIOSSL
import HummingbirdCore
import HummingbirdTLS
import AdminAPI
import Gateway

/// Builds the `archestra serve` application and the HTTP client it calls upstreams with.
package enum ProxyServer {
    /// The proxy's HTTP server. `onServerRunning` receives the bound port (useful with port 0);
    /// `recordSinks` receive every request's record when its response has ended.
    ///
    /// The caller owns `httpClient` and must keep it alive until the application has stopped.
    package static func makeApplication(
        configuration: ProxyConfiguration,
        httpClient: HTTPClient,
        gateway: GatewayRuntime,
        recordSinks: [any RequestRecordSink] = [],
        metrics: RequestMetrics? = nil,
        exchangeCapture: (any ExchangeCaptureSink)? = nil,
        shutdownCutoff: ShutdownCutoff? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router(context: ProxyRequestContext.self)
        router.get("/healthz") { _, _ in "ok" }
        // Before the catch-all proxy route: Hummingbird prefers the more specific `/api/...`.
        AdminAPI(
            store: gateway.store,
            adminToken: gateway.adminToken,
            providerIDs: configuration.providers.map(\.declaration.id),
            tokenIssuer: gateway.directory,
            limiter: gateway.limiter,
            addressResolver: gateway.addresses,
            logger: logger,
            onChange: {
                gateway.directory.invalidate()
                gateway.costs.invalidate()
            }
        ).register(on: router)
        let pipeline = ProxyPipeline(configuration: configuration, httpClient: httpClient, directory: gateway.directory, limiter: gateway.limiter, recordSinks: recordSinks,
            costs: gateway.costs)
        let responder = PipelineResponder(pipeline: pipeline, addresses: gateway.addresses, capture: exchangeCapture, cutoff: shutdownCutoff)
        // First, so a refused head never takes a concurrency slot nor reaches the upstream client.
        router.add(middleware: RequestHeadGuardMiddleware(configuration: configuration))
        let concurrencyLimit = ConcurrencyLimitMiddleware<ProxyRequestContext>(configuration: configuration)
        router.add(middleware: concurrencyLimit)
        // The in-flight gauges are read when scraped: the request path does no metrics work for them.
        metrics?.sample(MetricName.requestsInFlight, help: "Requests holding a concurrency slot: admitted and not yet fully answered, streams included.") {
            concurrencyLimit.limiter.current
        }
        metrics?.sample(MetricName.upstreamRequestsAwaitingHead, help: "Upstream calls sent and not yet answered with a response head: waiting for a pooled connection or for the provider's first byte.") {
            pipeline.callUpstream.awaitingHead.current
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head, .options] {
            router.on("/**", method: method, use: responder.handle)
        }
        let http1Configuration = Self.http1Configuration(for: configuration)
        let http1 = HTTPServerBuilder { responder in
            TimedHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: http1Configuration), timeouts: configuration.clientTimeouts)
        }
        var server = http1
        if let certificateFile = configuration.tlsCertificateFile, let keyFile = configuration.tlsKeyFile {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            )
            server = try .tls(http1, tlsConfiguration: tls)
        }
        return Application(
            router: router,
            server: server,
            // The accept queue as deep as the kernel allows (capped at `net.core.somaxconn`),
            // not Hummingbird's 256: a burst of clients (a deploy, a retry storm) is queued
            // instead of having SYNs dropped and retried a second later.
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil, backlog: 4096),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// The HTTP/1 server's decoder limits: a backstop above ``RequestHeadLimits`` (see
    /// ``RequestHeadLimits/decoderMaximumHeaderListBytes``), which the middleware enforces with
    /// answers a client's SDK can parse.
    static func http1Configuration(for configuration: ProxyConfiguration) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: RequestHeadLimits.decoderMaximumHeaderListBytes,
                maxHeaderListSize: RequestHeadLimits.decoderMaximumHeaderListBytes,
                maxHeaderFieldCount: RequestHeadLimits.decoderMaximumHeaderFieldCount
            )
        )
    }

    /// An upstream client for a proxy, not a browser: no redirects (a 3xx is the upstream's
    /// answer to relay), no decompression (bytes pass through as sent), and a connection pool wide
    /// enough that long streams do not queue behind each other.
    package static func httpClientConfiguration(for configuration: ProxyConfiguration) -> HTTPClient.Configuration {
        var client = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .seconds(configuration.upstreamConnectTimeout.components.seconds),
                read: .seconds(configuration.upstreamReadTimeout.components.seconds)
            ),
            // As many connections per upstream host as requests the proxy admits: a lower cap
            // would queue admitted streams behind each other until they time out (issue 10, item 3).
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maximumConcurrentRequests),
            decompression: .disabled
        )
        client.httpVersion = .automatic
        if let bundle = configuration.upstreamCABundle {
            // Added to the system's roots, not instead of them: one private CA (an emulator's, a
            // corporate proxy's) must not break every other upstream.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(bundle)]
            client.tlsConfiguration = tls
        }
        // With retries on, a refused connection is retried until the connect timeout and then
        // reported as a timeout: a client would wait 10 s for a misleading 504. Failing fast
        // gives an honest 502 at once, and every LLM SDK already retries 502 with backoff.
        client.connectionPool.retryConnectionEstablishment = false
        // A span per upstream call costs CPU on every request even with no tracer installed;
        // the proxy's own request log carries the timings until tracing is a feature.
        client.tracing.tracer = nil
        return client
    }
}
