import HTTPTypes
import NIOCore

/// Pipeline step: read the request body, whole, before anything goes upstream.
///
/// Every body is collected up to `ARCHESTRA_API_BODY_LIMIT` and counted against the process-wide
/// ``RequestBodyBudget``. Operations whose dialect carries JSON (chat, messages, converse, …) then
/// have their content type checked and are summarised (model, stream) by the client's dialect;
/// the upstream's dialect may reshape the bytes (Bedrock's short `/converse` moves `modelId` into
/// the URL). Other bodies (uploads) go upstream as they were read.
///
/// Why never stream a body upstream as it arrives: an upstream may answer before it has read the
/// whole body (a 401 or 404 on an upload), and the HTTP server then reads what is left of that
/// request's body to find the next request on the connection — while the upstream client may
/// still be waiting on the same body for bytes the client never sends. Two readers of one body
/// stream is a precondition failure in SwiftNIO, which took the process down (found by the
/// HTTP-level fuzz, `Tests/SDK/test_http_fuzz.py`). A body read whole has one reader, and it is
/// done before the upstream is called.
package struct ReadRequestBodyStep: Sendable {
    let bodyLimitBytes: Int
    let budget: RequestBodyBudget?

    package init(bodyLimitBytes: Int, budget: RequestBodyBudget? = nil) {
        self.bodyLimitBytes = bodyLimitBytes
        self.budget = budget
    }

    package func read(_ exchange: inout ProxyExchange) async throws(ProxyError) {
        let carriesJSON = exchange.request.method == .post && exchange.clientDialect.requiresJSONBody(nativePath: exchange.operationPath)
        var body = try await exchange.request.body.collect(upTo: self.bodyLimitBytes, budget: self.budget, reservation: &exchange.bodyReservation)
        exchange.record.requestBytes = body.readableBytes
        guard carriesJSON else { return }  // `collect` left the body collected for the upstream
        if exchange.clientDialect.requiresJSONContentType(nativePath: exchange.operationPath) {
            try Self.requireJSONContentType(exchange.request.headers[.contentType])
        }
        exchange.summary = try exchange.clientDialect.summarize(requestBody: body, nativePath: exchange.operationPath)
        body = exchange.upstreamDialect.upstreamBody(body, nativePath: exchange.operationPath)
        exchange.request.body = .collected(body)
        exchange.record.model = exchange.summary.model
        exchange.record.isStreaming = exchange.summary.isStreaming
    }

    /// `application/json` or `application/*+json`, any parameters, any case. Byte comparisons
    /// rather than string splitting: this runs on every request.
    static func requireJSONContentType(_ contentType: String?) throws(ProxyError) {
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
