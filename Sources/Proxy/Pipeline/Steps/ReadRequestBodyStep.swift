import HTTPTypes
import NIOCore

/// Pipeline step: read the request body only when a step needs it.
///
/// Operations whose dialect carries JSON (chat, messages, converse, …) are collected up to
/// `ARCHESTRA_API_BODY_LIMIT`, their content type checked, and summarised (model, stream) by the
/// client's dialect; the upstream's dialect may then reshape the bytes (Bedrock's short
/// `/converse` moves `modelId` into the URL). A signing authorizer (SigV4) needs the bytes too.
/// Everything else — uploads, other pass-through paths — streams to the upstream as it arrives,
/// its declared length checked against the limit first. Collected bodies count against the
/// process-wide ``RequestBodyBudget``.
package struct ReadRequestBodyStep: Sendable {
    let bodyLimitBytes: Int
    let budget: RequestBodyBudget?

    package init(bodyLimitBytes: Int, budget: RequestBodyBudget? = nil) {
        self.bodyLimitBytes = bodyLimitBytes
        self.budget = budget
    }

    package func read(_ exchange: inout ProxyExchange) async throws(ProxyError) {
        let carriesJSON = exchange.request.method == .post && exchange.clientDialect.requiresJSONBody(nativePath: exchange.operationPath)
        let needsBytes = carriesJSON || exchange.provider.authorizer.signsRequestBody
        guard needsBytes else {
            if case .streaming(let sequence, let declaredLength) = exchange.request.body {
                if let declaredLength, declaredLength > self.bodyLimitBytes { throw .bodyTooLarge(limit: self.bodyLimitBytes) }
                exchange.request.body = .streaming(BoundedRequestBody(base: sequence, limit: self.bodyLimitBytes), declaredLength: declaredLength)
            }
            return
        }
        var body = try await exchange.request.body.collect(upTo: self.bodyLimitBytes, budget: self.budget, reservation: &exchange.bodyReservation)
        exchange.record.requestBytes = body.readableBytes
        guard carriesJSON else { return }
        try Self.requireJSONContentType(exchange.request.headers[.contentType])
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
