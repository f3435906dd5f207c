import HTTPTypes
import NIOCore
import NIOHTTP1

/// Pipeline step: the request to send upstream, before its credential is put on it.
///
/// The URL is the provider's layout (``UpstreamURLResolver``) over the chosen key's base URL, else
/// the provider's. Client headers cross minus hop-by-hop and credential headers (the authorizer
/// owns those); a credential the proxy replaces is also taken out of the query string (Gemini's
/// `?key=`), so that a virtual key never travels upstream. Configured headers and the key's extra
/// headers come last and win.
package struct BuildUpstreamRequestStep: Sendable {
    package init() {}

    package func build(_ exchange: ProxyExchange) throws(ProxyError) -> UpstreamRequest {
        let provider = exchange.provider
        let declaration = provider.declaration
        guard let baseURL = exchange.upstreamKey.baseURL ?? provider.baseURL else {
            throw .providerNotConfigured(provider: declaration.id, variable: declaration.baseURLVariables.first ?? "")
        }
        var query = exchange.request.query
        if case .client = exchange.upstreamKey.credential {
            // Pass-through: the client's own key stays where it put it.
        } else {
            for location in declaration.clientCredentials { query = location.removing(from: query) }
        }
        // A gateway credential never travels upstream, wherever the client put it (`?key=arch_…`
        // beside a raw header key, an `x-api-key: arch_…` on a route that reads `Authorization`).
        query = GatewayCredentialScrubber.scrubbing(query: query)
        let url = try provider.upstreamURL.upstreamURL(baseURL: baseURL, operationPath: exchange.operationPath, query: query, summary: exchange.summary)
        let method = exchange.request.method
        var request = UpstreamRequest(
            method: HTTPMethod(rawValue: method.rawValue),
            url: url,
            headers: ForwardedHeaders.upstreamRequestHeaders(from: exchange.request.headers, droppingCredentialHeaders: declaration.credentialHeaderNames),
            body: Self.carriesBody(exchange) ? exchange.request.body : nil
        )
        GatewayCredentialScrubber.scrub(&request.headers)
        for header in provider.configuredHeaders {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        for (name, value) in exchange.upstreamKey.extraHeaders.sorted(by: { $0.key < $1.key }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        return request
    }

    /// Methods that carry a body carry one even when it is empty (an upstream may require the
    /// length); others only when the client sent bytes.
    private static func carriesBody(_ exchange: ProxyExchange) -> Bool {
        if [.post, .put, .patch].contains(exchange.request.method) { return true }
        switch exchange.request.body {
        case .collected(let buffer): return buffer.readableBytes > 0
        case .streaming(_, let declaredLength): return (declaredLength ?? 0) > 0
        }
    }
}
