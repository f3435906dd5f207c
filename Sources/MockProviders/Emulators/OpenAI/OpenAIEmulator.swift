package import Hummingbird
package import Logging

/// The OpenAI API emulator: Chat Completions, Responses, Embeddings and Models under `/v1`,
/// answering deterministically (rules in `docs/emulators.md`).
package enum OpenAIEmulator {
    /// The key written to the env file; requests must carry it as `Authorization: Bearer <key>`.
    package static let apiKey = "sk-archestra-mock-openai"
    /// Every key the emulator accepts.
    package static let acceptedAPIKeys = [apiKey]

    package static let declaration = EmulatorDeclaration(
        provider: "openai",
        basePath: "/v1",
        apiKey: apiKey,
        baseURLVariables: ["ARCHESTRA_OPENAI_BASE_URL", "OPENAI_BASE_URL"],
        apiKeyVariables: ["OPENAI_API_KEY", "ARCHESTRA_CHAT_OPENAI_API_KEY"],
        makeRouter: { makeRouter() }
    )

    /// The emulator's routes, with its auth and envelope middleware.
    ///
    /// Each router gets its own ``ScenarioFailureBudget``, so `fail-count` counts per emulator instance.
    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, acceptedKeys: [String] = acceptedAPIKeys) -> Router<Context> {
        let gate = OpenAIScenarioGate(budget: ScenarioFailureBudget())
        let chat = OpenAIChatCompletionsHandler(gate: gate)
        let responses = OpenAIResponsesHandler(gate: gate)
        let embeddings = OpenAIEmbeddingsHandler(gate: gate)
        let models = OpenAIModelsHandler(gate: gate)

        let router = Router(context: Context.self)
        router.add(middleware: OpenAIEnvelopeMiddleware())
        router.add(middleware: OpenAIAuthenticationMiddleware(acceptedKeys: acceptedKeys))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/v1/chat/completions") { request, context in try await chat.handle(request, context: context) }
        router.post("/v1/responses") { request, context in try await responses.handle(request, context: context) }
        router.post("/v1/embeddings") { request, context in try await embeddings.handle(request, context: context) }
        router.get("/v1/models") { request, context in try await models.list(request, context: context) }
        router.get("/v1/models/{id}") { request, context in try await models.retrieve(request, context: context) }
        return router
    }

    /// A Hummingbird application serving ``makeRouter(context:acceptedKeys:)`` on `host:port`.
    package static func makeApplication(
        host: String,
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        EmulatorApplication.make(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
    }
}
