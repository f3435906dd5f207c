import HTTPTypes
package import Hummingbird
import NIOCore
import WireFormats

/// The Gemini API (AI Studio) emulator: `models/{model}:{method}` and `GET models` under `/v1`,
/// `/v1beta` and `/v1beta1`, the key in `x-goog-api-key` or `?key=`. Rules in `docs/emulators.md`.
package enum GeminiEmulator {
    package static let apiKey = "AIzaArchestraMockGeminiKey0123456789"
    package static let acceptedAPIKeys = [apiKey]

    static let models: [(name: String, displayName: String)] = [
        ("gemini-2.5-flash", "Gemini 2.5 Flash"),
        ("gemini-2.5-pro", "Gemini 2.5 Pro"),
        ("gemini-embedding-001", "Gemini Embedding 001"),
    ]

    package static let declaration = EmulatorDeclaration(
        provider: "gemini",
        basePath: "",
        apiKey: apiKey,
        baseURLVariables: ["ARCHESTRA_GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL"],
        apiKeyVariables: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "ARCHESTRA_CHAT_GEMINI_API_KEY"],
        makeRouter: { makeRouter() }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, acceptedKeys: [String] = acceptedAPIKeys) -> Router<Context> {
        let style = GeminiErrorStyle()
        let generate = GeminiGenerateHandler(gate: DialectScenarioGate(style: style))
        let router = Router(context: Context.self)
        router.add(middleware: DialectEnvelopeMiddleware(style: style))
        router.add(middleware: DialectAuthenticationMiddleware(
            acceptedKeys: acceptedKeys,
            key: { request in
                if let name = HTTPField.Name("x-goog-api-key"), let key = request.headers[name] { return key }
                return DialectAuthenticationMiddleware<Context>.queryValue("key", in: request)
            },
            missing: { style.missingAPIKey() },
            invalid: { style.invalidAPIKey() }
        ))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        for version in ["v1", "v1beta", "v1beta1"] {
            router.post("/\(version)/models/{target}") { request, context in try await generate.handle(request, context: context) }
            // Some REST clients double the collection name.
            router.post("/\(version)/models/models/{target}") { request, context in try await generate.handle(request, context: context) }
            router.get("/\(version)/models") { _, _ in GeminiGenerateHandler.json(["models": .array(Self.models.map(Self.modelObject))]) }
            router.get("/\(version)/models/{target}") { _, context in
                let name = context.parameters.get("target") ?? ""
                guard let model = Self.models.first(where: { $0.name == name }) else {
                    throw style.error(.notFound, "models/\(name) is not found for API version \(version), or is not supported for generateContent.")
                }
                return GeminiGenerateHandler.json(Self.modelObject(model))
            }
        }
        return router
    }

    static func modelObject(_ model: (name: String, displayName: String)) -> JSONValue {
        let isEmbedding = model.name.contains("embedding")
        return [
            "name": .string("models/\(model.name)"), "version": "001", "displayName": .string(model.displayName),
            "description": .string(model.displayName), "inputTokenLimit": 1_048_576, "outputTokenLimit": isEmbedding ? 1 : 65_536,
            "supportedGenerationMethods": isEmbedding ? ["embedContent", "batchEmbedContents"] : ["generateContent", "countTokens"],
        ]
    }
}
