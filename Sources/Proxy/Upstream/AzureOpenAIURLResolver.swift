import Foundation

/// Azure OpenAI's two URL layouts.
///
/// - A resource URL (`…/openai`): OpenAI-style operations are routed to a deployment named by the
///   body's `model` (`/deployments/<model>/chat/completions`) with the configured `api-version`;
///   `/responses` is not per deployment and takes its own `api-version`. Paths the AzureOpenAI
///   SDK already built (`/openai/deployments/<d>/…?api-version=…`) pass through with their
///   `api-version`.
/// - A Foundry v1 URL (`…/openai/v1`): paths are appended as they are, without `api-version`.
package struct AzureOpenAIURLResolver: UpstreamURLResolver {
    package static let apiVersionVariable = "ARCHESTRA_AZURE_OPENAI_API_VERSION"
    package static let responsesAPIVersionVariable = "ARCHESTRA_AZURE_OPENAI_RESPONSES_API_VERSION"
    package static let entraIDVariable = "ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED"
    package static let defaultAPIVersion = "2024-02-01"
    package static let defaultResponsesAPIVersion = "2025-04-01-preview"

    /// Operations Azure serves per deployment.
    static let deploymentOperations: Set<String> = ["/chat/completions", "/embeddings", "/completions"]

    let apiVersion: String
    let responsesAPIVersion: String

    package init(apiVersion: String = defaultAPIVersion, responsesAPIVersion: String = defaultResponsesAPIVersion) {
        self.apiVersion = apiVersion
        self.responsesAPIVersion = responsesAPIVersion
    }

    package func configured(with environment: ProviderEnvironment) throws(ConfigurationError) -> any UpstreamURLResolver {
        AzureOpenAIURLResolver(
            apiVersion: environment.string(Self.apiVersionVariable) ?? Self.defaultAPIVersion,
            responsesAPIVersion: environment.string(Self.responsesAPIVersionVariable) ?? Self.defaultResponsesAPIVersion
        )
    }

    /// The AzureOpenAI SDK sends `/openai/deployments/…`, an OpenAI client pointed at the v1 form
    /// through the proxy `/openai/v1/…`; both prefixes are part of the base URL already.
    package func operationPath(for route: ProxyRoute) -> String {
        route.upstreamPath(droppingAny: ["/openai/v1", "/openai"])
    }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        if Self.isFoundryV1(baseURL) || (operationPath.hasPrefix("/deployments/") && Self.hasAPIVersion(query)) {
            return AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: query)
        }
        if operationPath.hasPrefix("/deployments/") {
            return AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: Self.adding(apiVersion: self.apiVersion, to: query))
        }
        if operationPath == "/responses" || operationPath.hasPrefix("/responses/") {
            return AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: Self.adding(apiVersion: self.responsesAPIVersion, to: query))
        }
        if Self.deploymentOperations.contains(operationPath) {
            guard let model = summary.model, !model.isEmpty else {
                throw .malformedJSON("field 'model' is missing: Azure OpenAI needs it to name the deployment")
            }
            let deployment = model.addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? model
            return AppendOperationPath.join(
                baseURL: baseURL,
                path: "/deployments/\(deployment)\(operationPath)",
                query: Self.adding(apiVersion: self.apiVersion, to: query)
            )
        }
        return AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: Self.adding(apiVersion: self.apiVersion, to: query))
    }

    /// `…/openai/v1` (Foundry and the v1 GA surface) takes no `api-version`.
    static func isFoundryV1(_ baseURL: String) -> Bool {
        URLComponents(string: baseURL)?.path.hasSuffix("/v1") ?? false
    }

    static func hasAPIVersion(_ query: String?) -> Bool {
        guard let query else { return false }
        return query.split(separator: "&").contains { $0.hasPrefix("api-version=") }
    }

    /// The client's query with `api-version` added when the client did not choose one.
    static func adding(apiVersion: String, to query: String?) -> String {
        if Self.hasAPIVersion(query), let query { return query }
        let parameter = "api-version=\(apiVersion)"
        guard let query, !query.isEmpty else { return parameter }
        return query + "&" + parameter
    }

    /// A deployment name is one path segment: a `/` in it must not become a separator.
    static let segmentAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/")
        return allowed
    }()
}
