package import Hummingbird
import NIOCore
import WireFormats

/// The Cohere API emulator: v2 chat (stream events and non-stream; tool calls, `thinking` content
/// for reasoning models, `image_url` content accepted), v2 and v1 embed (``CohereEmbedHandler``),
/// model listing (``CohereModelsHandler``), legacy v1 chat; `Authorization: Bearer <key>`.
/// Rules in `docs/emulators.md`.
package enum CohereEmulator {
    package static let apiKey = "co-archestra-mock-cohere-key"
    package static let acceptedAPIKeys = [apiKey]

    package static let declaration = EmulatorDeclaration(
        provider: "cohere",
        basePath: "",
        apiKey: apiKey,
        baseURLVariables: ["ARCHESTRA_COHERE_BASE_URL", "CO_API_URL"],
        apiKeyVariables: ["CO_API_KEY", "ARCHESTRA_CHAT_COHERE_API_KEY"],
        makeRouter: { makeRouter() }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, acceptedKeys: [String] = acceptedAPIKeys) -> Router<Context> {
        let style = CohereErrorStyle()
        let gate = DialectScenarioGate(style: style)
        let chat = CohereChatHandler(gate: gate)
        let router = Router(context: Context.self)
        router.add(middleware: DialectEnvelopeMiddleware(style: style))
        router.add(middleware: DialectAuthenticationMiddleware(
            acceptedKeys: acceptedKeys,
            key: { DialectAuthenticationMiddleware<Context>.bearerKey($0) },
            missing: { style.error(.unauthorized, "no api key supplied") },
            invalid: {
                style.error(.unauthorized, "Incorrect API key provided: ***********. You can find your API key at https://dashboard.cohere.com/api-keys.")
            }
        ))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/v2/chat") { request, context in try await chat.chatV2(request, context: context) }
        router.post("/v1/chat") { request, context in try await chat.chatV1(request, context: context) }
        let embed = CohereEmbedHandler(gate: gate)
        let models = CohereModelsHandler()
        router.post("/v2/embed") { request, context in try await embed.handle(request, context: context, version: 2) }
        router.post("/v1/embed") { request, context in try await embed.handle(request, context: context, version: 1) }
        router.get("/v1/models") { request, _ in try models.list(request) }
        router.get("/v1/models/{model}") { _, context in try models.get(context.parameters.get("model") ?? "") }
        return router
    }
}
