import HTTPTypes
package import Hummingbird
import NIOCore
import WireFormats

/// The Gemini API (AI Studio) emulator: `models/{model}:{method}` and `GET models` under `/v1`,
/// `/v1beta` and `/v1beta1`, the key in `x-goog-api-key` or `?key=`. Rules in `docs/emulators.md`.
///
/// What the answers honour (``GeminiGenerateHandler``): `functionDeclarations` with
/// `functionCallingConfig` (a call whose `args` follow the schema; `thoughtSignature` on it when
/// thinking is on), `thinkingConfig.includeThoughts` (a `thought: true` part first),
/// `responseMimeType: application/json` with `responseSchema` / `responseJsonSchema` (JSON text
/// valid against it), and `inlineData` / `fileData` media parts (shape-checked, then ignored).
/// `GET models` lists chat and embedding models (``GeminiModelCatalog``), paginated.
package enum GeminiEmulator {
    package static let apiKey = "AIzaArchestraMockGeminiKey0123456789"
    package static let acceptedAPIKeys = [apiKey]

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
            GeminiModelCatalog.addRoutes(to: router, path: "/\(version)/models", key: "models", style: style, object: GeminiModelCatalog.geminiObject) { name in
                "models/\(name) is not found for API version \(version), or is not supported for generateContent."
            }
        }
        return router
    }
}
