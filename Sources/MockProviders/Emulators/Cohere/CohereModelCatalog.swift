import WireFormats

/// The models `GET /v1/models` lists, in Cohere's `GetModelResponse` shape.
enum CohereModelCatalog {
    struct Model: Sendable {
        var name: String
        var endpoints: [String]
        var contextLength: Int
        var features: [String]
        /// Embedding dimensions (embed models): the native one first, then any other
        /// `output_dimension` the model accepts.
        var dimensions: [Int] = []
        /// Emits `thinking` content when asked (`thinking: {"type":"enabled"}`).
        var reasons = false
        /// The endpoint's default model (`default_endpoints`, `default_only=true`).
        var isDefault = false
    }

    static let chatFeatures = ["json_mode", "json_schema", "safety_modes", "strict_tools", "tool_use"]

    static let models: [Model] = [
        Model(name: "command-a-03-2025", endpoints: ["chat", "generate", "summarize"], contextLength: 256_000, features: chatFeatures, isDefault: true),
        Model(name: "command-a-reasoning-08-2025", endpoints: ["chat"], contextLength: 256_000, features: chatFeatures + ["reasoning"], reasons: true),
        Model(name: "command-a-vision-07-2025", endpoints: ["chat"], contextLength: 128_000, features: ["json_mode", "json_schema", "vision"]),
        Model(name: "command-r-plus-08-2024", endpoints: ["chat", "generate", "summarize"], contextLength: 128_000, features: chatFeatures),
        Model(name: "command-r-08-2024", endpoints: ["chat", "generate", "summarize"], contextLength: 128_000, features: chatFeatures),
        Model(name: "command-r7b-12-2024", endpoints: ["chat", "generate", "summarize"], contextLength: 128_000, features: chatFeatures),
        Model(name: "embed-v4.0", endpoints: ["embed"], contextLength: 128_000, features: ["multimodal"], dimensions: [1536, 256, 512, 1024], isDefault: true),
        Model(name: "embed-english-v3.0", endpoints: ["embed"], contextLength: 512, features: [], dimensions: [1024]),
        Model(name: "embed-multilingual-v3.0", endpoints: ["embed"], contextLength: 512, features: [], dimensions: [1024]),
        Model(name: "embed-english-light-v3.0", endpoints: ["embed"], contextLength: 512, features: [], dimensions: [384]),
        Model(name: "rerank-v3.5", endpoints: ["rerank"], contextLength: 4_096, features: [], isDefault: true),
    ]

    static let endpoints = ["chat", "embed", "classify", "summarize", "rerank", "rate", "generate"]
    static let defaultPageSize = 20

    static func model(named name: String) -> Model? { Self.models.first { $0.name == name } }

    static func object(_ model: Model) -> JSONValue {
        [
            "name": .string(model.name), "endpoints": .array(model.endpoints.map(JSONValue.string)), "finetuned": false,
            "context_length": .int(model.contextLength), "is_deprecated": false,
            "tokenizer_url": .string("https://storage.googleapis.com/cohere-public/tokenizers/\(model.name).json"),
            "default_endpoints": model.isDefault ? .array(model.endpoints.prefix(1).map(JSONValue.string)) : [],
            "features": .array(model.features.map(JSONValue.string)),
        ]
    }
}
