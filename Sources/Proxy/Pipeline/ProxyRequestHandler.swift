package import AsyncHTTPClient
import Foundation
package import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1

/// The one pipeline every provider route runs through.
///
/// Steps, each a separate unit (see docs/architecture.md): resolve the route → read and check the
/// body (`ProviderDialect`) → build the upstream request (`UpstreamURLResolver`,
/// `ForwardedHeaders`) → put the credential on it (`UpstreamAuthorizer`) → call the upstream
/// (`UpstreamFailure` maps failures) → relay its answer (`ResponseRelay`) → log one line
/// (`RequestLogRecord`). Errors the proxy makes itself are rendered in the route's dialect;
/// upstream errors are relayed as the upstream sent them.
package struct ProxyRequestHandler: Sendable {
    let configuration: ProxyConfiguration
    let httpClient: HTTPClient

    package init(configuration: ProxyConfiguration, httpClient: HTTPClient) {
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// Bodies up to this size with a declared length are relayed as one buffer.
    private static let wholeBodyLimit = 256 * 1024

    /// Routes with no provider answer in OpenAI's shape, the lingua franca of LLM clients.
    private static let fallbackDialect: any ProviderDialect = OpenAIDialect()

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        var record = RequestLogRecord(method: request.method.rawValue, nativePath: request.uri.path)
        guard let route = ProxyRoute(rawPath: request.uri.path), let provider = self.configuration.provider(id: route.providerID) else {
            let error = ProxyError.unknownRoute(method: request.method.rawValue, path: request.uri.path)
            return Self.respond(with: error, dialect: Self.fallbackDialect, record: &record, logger: context.logger)
        }
        record.providerID = provider.declaration.id
        record.profileID = route.profileID
        record.nativePath = route.nativePath
        do {
            return try await self.forward(request, route: route, provider: provider, record: &record, logger: context.logger)
        } catch let error as ProxyError {
            return Self.respond(with: error, dialect: provider.declaration.dialect, record: &record, logger: context.logger)
        } catch is NIOTooManyBytesError {
            let error = ProxyError.bodyTooLarge(limit: self.configuration.bodyLimitBytes)
            return Self.respond(with: error, dialect: provider.declaration.dialect, record: &record, logger: context.logger)
        } catch {
            context.logger.error("proxy pipeline failed", metadata: ["error.type": .string(String(describing: type(of: error)))])
            return Self.respond(with: .internalFailure, dialect: provider.declaration.dialect, record: &record, logger: context.logger)
        }
    }

    private func forward(
        _ request: Request,
        route: ProxyRoute,
        provider: ResolvedProvider,
        record: inout RequestLogRecord,
        logger: Logger
    ) async throws -> Response {
        let declaration = provider.declaration
        if let local = provider.localEndpoints.first(where: { $0.method == request.method && $0.nativePath == route.nativePath }) {
            return try await local.respond(client: ClientCredentials(headers: request.headers, query: request.uri.query), httpClient: self.httpClient, logger: logger)
        }
        guard let baseURL = provider.baseURL else {
            throw ProxyError.providerNotConfigured(provider: declaration.id, variable: declaration.baseURLVariables.first ?? "")
        }
        var request = request
        var body = try await request.collectBody(upTo: self.configuration.bodyLimitBytes)
        record.requestBytes = body.readableBytes
        let operationPath = provider.upstreamURL.operationPath(for: route)
        var summary = RequestSummary()
        if request.method == .post, declaration.dialect.requiresJSONBody(nativePath: operationPath) {
            try Self.requireJSONContentType(request.headers[.contentType])
            summary = try declaration.dialect.summarize(requestBody: body, nativePath: operationPath)
            body = declaration.dialect.upstreamBody(body, nativePath: operationPath)
            record.model = summary.model
            record.isStreaming = summary.isStreaming
        }

        var outgoing = UpstreamRequest(
            method: HTTPMethod(rawValue: request.method.rawValue),
            url: try provider.upstreamURL.upstreamURL(baseURL: baseURL, operationPath: operationPath, query: request.uri.query, summary: summary),
            headers: ForwardedHeaders.upstreamRequestHeaders(from: request.headers, droppingCredentialHeaders: declaration.credentialHeaderNames),
            body: body.readableBytes > 0 || [.post, .put, .patch].contains(request.method) ? body : nil
        )
        for header in provider.configuredHeaders {
            outgoing.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        let credentialSource = try await provider.authorizer.authorize(&outgoing, client: ClientCredentials(headers: request.headers, query: request.uri.query))
        record.credentialSource = credentialSource

        var upstreamRequest = HTTPClientRequest(url: outgoing.url)
        upstreamRequest.method = outgoing.method
        upstreamRequest.headers = outgoing.headers
        if let outgoingBody = outgoing.body {
            upstreamRequest.body = .bytes(outgoingBody)
        }

        let upstreamStart = ContinuousClock.now
        let upstream: HTTPClientResponse
        do {
            upstream = try await self.httpClient.execute(
                upstreamRequest,
                deadline: .now() + .nanoseconds(Int64(self.configuration.maximumRequestDuration.components.seconds) * 1_000_000_000),
                logger: logger
            )
        } catch {
            throw UpstreamFailure.proxyError(for: error, provider: declaration.id)
        }
        record.upstreamLatency = ContinuousClock.now - upstreamStart
        record.upstreamStatus = Int(upstream.status.code)
        record.status = Int(upstream.status.code)
        return self.relay(upstream, request: request, provider: declaration, record: record, logger: logger)
    }

    /// Builds the client response whose body streams the upstream's. Headers go out as soon as
    /// this returns, before the first body byte, so the client sees the upstream's real status.
    private func relay(
        _ upstream: HTTPClientResponse,
        request: Request,
        provider: ProviderDeclaration,
        record: RequestLogRecord,
        logger: Logger
    ) -> Response {
        var headers = ForwardedHeaders.clientResponseHeaders(from: upstream.headers)
        let relay = ResponseRelay(dialect: provider.dialect, providerID: provider.id, maximumEventBytes: self.configuration.maximumStreamEventBytes)
        let contentEncoding = upstream.headers.first(name: "content-encoding")?.lowercased() ?? "identity"
        // Compressed bytes have no message boundaries to find: relay those as opaque chunks.
        let framing = contentEncoding == "identity" ? StreamFraming(contentType: upstream.headers.first(name: "content-type")) : nil
        let isEventStream = framing != nil
        let contentLength = isEventStream ? nil : upstream.headers.first(name: "content-length").flatMap(Int.init)
        if isEventStream {
            // Watching for the client's disconnect consumes the connection's inbound stream, so
            // Hummingbird closes the connection after the response: say so, or a pooling client
            // would try to reuse a connection that is about to close.
            headers[.connection] = "close"
        }

        let body: ResponseBody
        if !isEventStream, let contentLength, contentLength <= Self.wholeBodyLimit {
            body = ResponseBody(contentLength: contentLength) { writer in
                var record = record
                do {
                    // A small body of known length is read in one go and written in one go:
                    // fewer suspensions per request than relaying AsyncHTTPClient's chunks.
                    let whole = try await upstream.body.collect(upTo: contentLength)
                    record.responseBytes = whole.readableBytes
                    if let usage = relay.dialect.usage(inResponseBody: whole) { record.usage.merge(usage) }
                    try await writer.write(whole)
                    try await writer.finish(nil)
                    record.emit(to: logger)
                } catch {
                    record.errorCode = "relay_failed"
                    record.emit(to: logger)
                    throw error
                }
            }
        } else {
            body = ResponseBody(contentLength: contentLength) { writer in
                var record = record
                var tally = RelayTally()
                do {
                    if let framing {
                        // Cancels the relay (and so the upstream request) as soon as the client
                        // disconnects, even while the upstream is silent between events.
                        try await request.body.consumeWithCancellationOnInboundClose { _ in
                            try await relay.relayMessages(from: upstream.body, framing: framing, to: &writer, tally: &tally)
                        }
                    } else {
                        try await relay.relayChunks(from: upstream.body, to: &writer, tally: &tally)
                    }
                    record.add(tally)
                    record.emit(to: logger)
                } catch {
                    record.add(tally)
                    record.errorCode = error is CancellationError ? "client_disconnected" : "relay_failed"
                    record.emit(to: logger)
                    throw error
                }
            }
        }
        return Response(status: HTTPResponse.Status(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase), headers: headers, body: body)
    }

    private static func respond(with error: ProxyError, dialect: any ProviderDialect, record: inout RequestLogRecord, logger: Logger) -> Response {
        record.status = error.status.code
        record.errorCode = error.code.rawValue
        let response = dialect.errorResponse(for: error)
        record.responseBytes = response.body.contentLength ?? 0
        record.emit(to: logger)
        return response
    }

    /// `application/json` or `application/*+json`, any parameters, any case. Byte comparisons
    /// rather than string splitting: this runs on every request.
    private static func requireJSONContentType(_ contentType: String?) throws(ProxyError) {
        guard let contentType else { throw .unsupportedMediaType(nil) }
        var mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        while mediaType.last == UInt8(ascii: " ") { mediaType = mediaType.dropLast() }
        let lowered = mediaType.lazy.map { $0 | 0x20 }  // ASCII lower-case; the tokens here are letters, '/', '+', '-', '.'
        let isJSON =
            lowered.elementsEqual("application/json".utf8)
            || (lowered.starts(with: "application/".utf8) && lowered.reversed().starts(with: "nosj+".utf8))
        guard isJSON else { throw .unsupportedMediaType(contentType) }
    }
}
