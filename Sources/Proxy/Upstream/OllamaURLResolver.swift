/// Ollama's two APIs on one server: the OpenAI-compatible one under the base URL (`…/v1`) and
/// the native one (`/api/chat`, `/api/tags`, `/api/embed`) at the server root, which is the base
/// URL without its `/v1`.
package struct OllamaURLResolver: UpstreamURLResolver {
    package init() {}

    package func operationPath(for route: ProxyRoute) -> String {
        if Self.isNative(route.nativePath) { return route.nativePath }
        return route.upstreamPath(droppingAny: ["/v1"])
    }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        guard Self.isNative(operationPath) else {
            return AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: query)
        }
        return AppendOperationPath.join(baseURL: Self.serverRoot(of: baseURL), path: operationPath, query: query)
    }

    static func isNative(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/")
    }

    /// `http://host:11434/v1` → `http://host:11434`; a base URL without `/v1` is the root already.
    static func serverRoot(of baseURL: String) -> String {
        baseURL.hasSuffix("/v1") ? String(baseURL.dropLast("/v1".count)) : baseURL
    }
}
