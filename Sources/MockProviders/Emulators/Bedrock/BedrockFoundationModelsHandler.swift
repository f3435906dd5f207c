import Hummingbird
import WireFormats

/// The control plane's ListFoundationModels (`GET /foundation-models`, filtered by `byProvider`
/// (case-insensitive), `byOutputModality`, `byInferenceType` and `byCustomizationType`, not
/// paginated, as the real API) and GetFoundationModel (`GET /foundation-models/{modelIdentifier}`,
/// an id or a foundation-model ARN; unknown → 404 `ResourceNotFoundException`).
package struct BedrockFoundationModelsHandler: Sendable {
    struct Model: Sendable {
        var id: String
        var name: String
        var provider: String
        var input: [String]
        var output: [String]
        var streaming: Bool
        var inference: [String]
        var customizations: [String] = []
    }

    static let models: [Model] = [
        Model(id: "amazon.nova-pro-v1:0", name: "Nova Pro", provider: "Amazon", input: ["TEXT", "IMAGE", "VIDEO"], output: ["TEXT"], streaming: true, inference: ["ON_DEMAND"], customizations: ["FINE_TUNING", "DISTILLATION"]),
        Model(id: "amazon.nova-lite-v1:0", name: "Nova Lite", provider: "Amazon", input: ["TEXT", "IMAGE", "VIDEO"], output: ["TEXT"], streaming: true, inference: ["ON_DEMAND"], customizations: ["FINE_TUNING", "DISTILLATION"]),
        Model(id: "amazon.nova-micro-v1:0", name: "Nova Micro", provider: "Amazon", input: ["TEXT"], output: ["TEXT"], streaming: true, inference: ["ON_DEMAND"], customizations: ["FINE_TUNING", "DISTILLATION"]),
        Model(id: "amazon.titan-embed-text-v2:0", name: "Titan Text Embeddings V2", provider: "Amazon", input: ["TEXT"], output: ["EMBEDDING"], streaming: false, inference: ["ON_DEMAND"]),
        Model(id: "amazon.titan-embed-text-v1", name: "Titan Embeddings G1 - Text", provider: "Amazon", input: ["TEXT"], output: ["EMBEDDING"], streaming: false, inference: ["ON_DEMAND"]),
        Model(id: "anthropic.claude-sonnet-4-20250514-v1:0", name: "Claude Sonnet 4", provider: "Anthropic", input: ["TEXT", "IMAGE"], output: ["TEXT"], streaming: true, inference: ["INFERENCE_PROFILE"]),
        Model(id: "anthropic.claude-3-5-haiku-20241022-v1:0", name: "Claude 3.5 Haiku", provider: "Anthropic", input: ["TEXT"], output: ["TEXT"], streaming: true, inference: ["ON_DEMAND", "INFERENCE_PROFILE"]),
        Model(id: "cohere.embed-english-v3", name: "Embed English", provider: "Cohere", input: ["TEXT"], output: ["EMBEDDING"], streaming: false, inference: ["ON_DEMAND"]),
        Model(id: "cohere.embed-multilingual-v3", name: "Embed Multilingual", provider: "Cohere", input: ["TEXT"], output: ["EMBEDDING"], streaming: false, inference: ["ON_DEMAND"]),
        Model(id: "cohere.command-r-plus-v1:0", name: "Command R+", provider: "Cohere", input: ["TEXT"], output: ["TEXT"], streaming: true, inference: ["ON_DEMAND"]),
        Model(id: "deepseek.r1-v1:0", name: "DeepSeek-R1", provider: "DeepSeek", input: ["TEXT"], output: ["TEXT"], streaming: true, inference: ["INFERENCE_PROFILE"]),
        Model(id: "meta.llama3-3-70b-instruct-v1:0", name: "Llama 3.3 70B Instruct", provider: "Meta", input: ["TEXT"], output: ["TEXT"], streaming: true, inference: ["ON_DEMAND", "INFERENCE_PROFILE"]),
        Model(id: "mistral.pixtral-large-2502-v1:0", name: "Pixtral Large (25.02)", provider: "Mistral AI", input: ["TEXT", "IMAGE"], output: ["TEXT"], streaming: true, inference: ["INFERENCE_PROFILE"]),
    ]

    static let modalities = ["TEXT", "IMAGE", "EMBEDDING"]
    static let inferenceTypes = ["ON_DEMAND", "PROVISIONED"]
    static let customizationTypes = ["FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"]

    package init() {}

    func list(_ request: Request) throws(BedrockEmulatorError) -> Response {
        let query = request.uri.queryParameters
        var models = Self.models
        if let provider = query.get("byProvider") {
            models = models.filter { $0.provider.lowercased() == provider.lowercased() }
        }
        if let modality = try Self.filter(query.get("byOutputModality"), member: "byOutputModality", values: Self.modalities) {
            models = models.filter { $0.output.contains(modality) }
        }
        if let type = try Self.filter(query.get("byInferenceType"), member: "byInferenceType", values: Self.inferenceTypes) {
            models = models.filter { $0.inference.contains(type) }
        }
        if let type = try Self.filter(query.get("byCustomizationType"), member: "byCustomizationType", values: Self.customizationTypes) {
            models = models.filter { $0.customizations.contains(type) }
        }
        return BedrockResponse.json(["modelSummaries": .array(models.map(Self.summary))])
    }

    func get(_ identifier: String) throws(BedrockEmulatorError) -> Response {
        let id = identifier.split(separator: "/").last.map(String.init) ?? identifier
        guard let model = Self.models.first(where: { $0.id == id }) else {
            throw BedrockEmulatorError(status: .notFound, code: "ResourceNotFoundException", message: "The specified model identifier \(identifier) doesn't exist.")
        }
        return BedrockResponse.json(["modelDetails": Self.summary(model)])
    }

    static func filter(_ value: String?, member: String, values: [String]) throws(BedrockEmulatorError) -> String? {
        guard let value else { return nil }
        guard values.contains(value) else {
            throw .validation("1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: Member must satisfy enum value set: [\(values.joined(separator: ", "))]")
        }
        return value
    }

    static func summary(_ model: Model) -> JSONValue {
        [
            "modelArn": .string("arn:aws:bedrock:\(BedrockEmulator.region)::foundation-model/\(model.id)"),
            "modelId": .string(model.id), "modelName": .string(model.name), "providerName": .string(model.provider),
            "inputModalities": .array(model.input.map(JSONValue.string)), "outputModalities": .array(model.output.map(JSONValue.string)),
            "customizationsSupported": .array(model.customizations.map(JSONValue.string)),
            "inferenceTypesSupported": .array(model.inference.map(JSONValue.string)),
            "responseStreamingSupported": .bool(model.streaming), "modelLifecycle": ["status": "ACTIVE"],
        ]
    }
}
