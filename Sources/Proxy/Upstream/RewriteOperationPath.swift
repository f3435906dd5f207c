/// The common layout, except that some operation paths the proxy's own routes use are renamed to
/// the upstream's (Cohere's `/chat` is the upstream's `/v2/chat`). Paths an SDK sends natively
/// pass through unchanged.
package struct RewriteOperationPath: UpstreamURLResolver {
    let rewrites: [String: String]

    package init(_ rewrites: [String: String]) {
        self.rewrites = rewrites
    }

    package func operationPath(for route: ProxyRoute) -> String {
        self.rewrites[route.nativePath] ?? route.nativePath
    }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: query)
    }
}
