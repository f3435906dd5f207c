/// Turns a routed request into the upstream URL: the pipeline's only knowledge of a provider's
/// URL layout.
package protocol UpstreamURLResolver: Sendable {
    /// The operation the client asked for, relative to the provider's API root, with whatever
    /// prefix the client's SDK adds removed (`/chat/completions` whether the groq SDK sent
    /// `/openai/v1/chat/completions` or the openai SDK sent `/chat/completions`). Dialects decide
    /// by this path which bodies to inspect.
    func operationPath(for route: ProxyRoute) -> String

    /// The full upstream URL. `summary` carries what was read from the body (Azure and Bedrock
    /// put the model in the URL).
    func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String

    /// The resolver with the provider's configuration applied (Azure's `api-version` variables).
    func configured(with environment: ProviderEnvironment) throws(ConfigurationError) -> any UpstreamURLResolver
}

extension UpstreamURLResolver {
    /// Most layouts read nothing from the environment.
    package func configured(with environment: ProviderEnvironment) throws(ConfigurationError) -> any UpstreamURLResolver { self }
}

/// The common layout: base URL + operation path + the client's query string, unchanged.
package struct AppendOperationPath: UpstreamURLResolver {
    /// Leading segments an SDK may add that the base URL already contains, tried in order and
    /// dropped only on a segment boundary.
    let redundantPrefixes: [String]

    package init(droppingPrefixes redundantPrefixes: [String] = []) {
        self.redundantPrefixes = redundantPrefixes
    }

    package func operationPath(for route: ProxyRoute) -> String {
        route.upstreamPath(droppingAny: self.redundantPrefixes)
    }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        Self.join(baseURL: baseURL, path: operationPath, query: query)
    }

    /// `baseURL` has no trailing slash (configuration guarantees it); `path` starts with one.
    package static func join(baseURL: String, path: String, query: String?) -> String {
        let url = path == "/" ? baseURL : baseURL + path
        guard let query, !query.isEmpty else { return url }
        return url + "?" + query
    }
}
