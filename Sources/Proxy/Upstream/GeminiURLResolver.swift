import Foundation

/// The Gemini provider's URL layout: the AI Studio paths unchanged, or with
/// `ARCHESTRA_GEMINI_VERTEX_AI_ENABLED=true` the Vertex AI form (``VertexAIURLResolver``).
package struct GeminiURLResolver: UpstreamURLResolver {
    package init() {}

    package func operationPath(for route: ProxyRoute) -> String { AppendOperationPath().operationPath(for: route) }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        try AppendOperationPath().upstreamURL(baseURL: baseURL, operationPath: operationPath, query: query, summary: summary)
    }

    package func configured(with environment: ProviderEnvironment) throws(ConfigurationError) -> any UpstreamURLResolver {
        guard try environment.flag(VertexAIURLResolver.enabledVariable) else { return self }
        return try VertexAIURLResolver(environment: environment)
    }
}

/// Vertex AI: `/v1beta/models/<m>:<method>` (and `/v1/…`, or the Vertex form google-genai sends
/// with `vertexai=True`) becomes
/// `<endpoint>/v1/projects/<project>/locations/<location>/publishers/google/models/<m>:<method>`.
/// Only `generateContent` and `streamGenerateContent` are served. The client's query is kept
/// (`alt=sse`) minus an AI Studio `key=`.
package struct VertexAIURLResolver: UpstreamURLResolver {
    package static let enabledVariable = "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED"
    package static let projectVariable = "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT"
    package static let locationVariable = "ARCHESTRA_GEMINI_VERTEX_AI_LOCATION"
    package static let baseURLVariable = "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL"
    /// Chat and, for the model router's embeddings, `predict` on an embedding model.
    static let methods: Set<Substring> = ["generateContent", "streamGenerateContent", "predict"]
    /// Google's publisher-model listing (google-genai's `models.list()` with `vertexai=True`, and
    /// the model router's model-list sync).
    static let publisherModelsPath = "/v1beta1/publishers/google/models"

    let project: String
    let location: String
    /// No trailing slash.
    let endpoint: String

    package init(project: String, location: String, endpoint: String? = nil) {
        self.project = project
        self.location = location
        self.endpoint = endpoint ?? Self.defaultEndpoint(location: location)
    }

    init(environment: ProviderEnvironment) throws(ConfigurationError) {
        guard let project = environment.string(Self.projectVariable) else {
            throw ConfigurationError(variable: Self.projectVariable, problem: "must be set when \(Self.enabledVariable) is true (the Google Cloud project id)")
        }
        let location = environment.string(Self.locationVariable) ?? "us-central1"
        guard location.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ConfigurationError(variable: Self.locationVariable, problem: "must be a Google Cloud location such as us-central1 or global")
        }
        guard project.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == ":" }) else {
            throw ConfigurationError(variable: Self.projectVariable, problem: "must be a Google Cloud project id")
        }
        self.init(project: project, location: location, endpoint: try environment.url(Self.baseURLVariable))
    }

    /// `https://<location>-aiplatform.googleapis.com`; `global` has no regional host.
    package static func defaultEndpoint(location: String) -> String {
        location == "global" ? "https://aiplatform.googleapis.com" : "https://\(location)-aiplatform.googleapis.com"
    }

    package func operationPath(for route: ProxyRoute) -> String { AppendOperationPath().operationPath(for: route) }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        if operationPath == Self.publisherModelsPath {
            return AppendOperationPath.join(baseURL: self.endpoint, path: operationPath, query: Self.droppingKey(from: query))
        }
        guard let call = GeminiModelMethod(path: operationPath), Self.methods.contains(call.method) else {
            throw ProxyError(
                code: .unknownRoute,
                message: "Vertex AI mode serves only models/<model>:generateContent, :streamGenerateContent and :predict, and the publisher-model list, not \(operationPath)."
            )
        }
        // A Vertex-form path keeps its API version (`v1beta1` from google-genai); the AI Studio
        // versions map to Vertex's `v1`.
        let version = operationPath.hasPrefix("/v1beta1/") ? "v1beta1" : "v1"
        let model = String(call.model).addingPercentEncoding(withAllowedCharacters: AzureOpenAIURLResolver.segmentAllowed) ?? String(call.model)
        let path = "/\(version)/projects/\(self.project)/locations/\(self.location)/publishers/google/models/\(model):\(call.method)"
        return AppendOperationPath.join(baseURL: self.endpoint, path: path, query: Self.droppingKey(from: query))
    }

    /// The client's query without `key=` (an AI Studio key must not reach Google Cloud).
    static func droppingKey(from query: String?) -> String? {
        guard let query else { return nil }
        let kept = query.split(separator: "&").filter { !$0.hasPrefix("key=") && $0 != "key" }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }
}
