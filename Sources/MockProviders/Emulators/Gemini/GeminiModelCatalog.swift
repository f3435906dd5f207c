import Hummingbird
import WireFormats

/// The Google models both the Gemini API emulator (`GET models`) and the Vertex AI emulator
/// (`GET publishers/google/models`) list, each in its own resource shape, paginated by
/// `pageSize` (default 50, as the Gemini API; at most 1000) and `pageToken`.
enum GeminiModelCatalog {
    struct Model: Sendable {
        var id: String
        var displayName: String
        var isEmbedding: Bool
        var inputTokenLimit: Int
        var outputTokenLimit: Int
        /// Served by Vertex AI's `:predict` (the text-embedding family) rather than `embedContent`.
        var isVertexPredictOnly = false
    }

    static let models: [Model] = [
        Model(id: "gemini-2.5-flash", displayName: "Gemini 2.5 Flash", isEmbedding: false, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536),
        Model(id: "gemini-2.5-pro", displayName: "Gemini 2.5 Pro", isEmbedding: false, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536),
        Model(id: "gemini-2.5-flash-lite", displayName: "Gemini 2.5 Flash-Lite", isEmbedding: false, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536),
        Model(id: "gemini-2.0-flash", displayName: "Gemini 2.0 Flash", isEmbedding: false, inputTokenLimit: 1_048_576, outputTokenLimit: 8_192),
        Model(id: "gemini-embedding-001", displayName: "Gemini Embedding 001", isEmbedding: true, inputTokenLimit: 2_048, outputTokenLimit: 1),
        Model(id: "text-embedding-004", displayName: "Text Embedding 004", isEmbedding: true, inputTokenLimit: 2_048, outputTokenLimit: 1),
        Model(id: "text-embedding-005", displayName: "Text Embedding 005", isEmbedding: true, inputTokenLimit: 2_048, outputTokenLimit: 1, isVertexPredictOnly: true),
    ]

    static let defaultPageSize = 50

    /// The Gemini API's `Model` resource.
    static func geminiObject(_ model: Model) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string("models/\(model.id)"), "baseModelId": .string(model.id), "version": "001",
            "displayName": .string(model.displayName), "description": .string(model.displayName),
            "inputTokenLimit": .int(model.inputTokenLimit), "outputTokenLimit": .int(model.outputTokenLimit),
            "supportedGenerationMethods": model.isEmbedding
                ? ["embedContent", "batchEmbedContents", "countTextTokens"]
                : ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
        ]
        if !model.isEmbedding {
            object.merge(["temperature": 1, "topP": 0.95, "topK": 64, "maxTemperature": 2, "thinking": .bool(model.id.hasPrefix("gemini-2.5"))]) { first, _ in first }
        }
        return .object(object)
    }

    /// Vertex AI's `PublisherModel` resource (the BASIC view `publishers.models.list` returns).
    static func vertexObject(_ model: Model) -> JSONValue {
        [
            "name": .string("publishers/google/models/\(model.id)"), "versionId": "001",
            "openSourceCategory": "PROPRIETARY", "launchStage": "GA", "versionState": "VERSION_STATE_STABLE",
            "publisherModelTemplate": .string("projects/{project}/locations/{location}/publishers/google/models/\(model.id)@001"),
            "supportedActions": model.isEmbedding ? ["deploy": [:]] : ["openGenerationAiStudio": [:]],
        ]
    }

    /// One page of `pageSize` / `pageToken` over the catalog, or the dialect's 400 for a bad value.
    static func page(_ request: Request, style: GeminiErrorStyle) throws(EmulatorError) -> ListPage<Model> {
        let query = request.uri.queryParameters
        var size = Self.defaultPageSize
        if let text = query.get("pageSize") ?? query.get("page_size") {
            guard let value = Int(text), value >= 0 else {
                throw style.error(.badRequest, "Invalid value at 'page_size' (TYPE_INT32), \"\(text)\"")
            }
            size = value == 0 ? Self.defaultPageSize : min(value, 1000)
        }
        guard let page = ListPage(Self.models, size: size, token: query.get("pageToken") ?? query.get("page_token")) else {
            throw style.error(.badRequest, "Invalid page token.")
        }
        return page
    }

    /// `GET <path>` (the page as `{<key>: [...], "nextPageToken"?}`) and `GET <path>/{model}`
    /// (one resource, or 404 worded by `notFound`); `{target}` is the name the POST routes use at that position.
    static func addRoutes<Context: RequestContext>(
        to router: Router<Context>,
        path: String,
        key: String,
        style: GeminiErrorStyle,
        object: @escaping @Sendable (Model) -> JSONValue,
        notFound: @escaping @Sendable (String) -> String
    ) {
        router.get(RouterPath(path)) { request, _ in
            let page = try Self.page(request, style: style)
            var body: [String: JSONValue] = [key: .array(page.items.map(object))]
            if let next = page.nextToken { body["nextPageToken"] = .string(next) }
            return GeminiGenerateHandler.json(.object(body))
        }
        router.get(RouterPath("\(path)/{target}")) { _, context in
            let name = context.parameters.get("target") ?? ""
            guard let model = Self.models.first(where: { $0.id == name }) else { throw style.error(.notFound, notFound(name)) }
            return GeminiGenerateHandler.json(object(model))
        }
    }
}
