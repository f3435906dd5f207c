package import Hummingbird
import HTTPTypes
import WireFormats

/// Builds an OpenAI-compatible provider's emulator (OpenAI's own included) from its
/// ``CompatibleEmulatorProfile``: the OpenAI API's handlers and scenario machinery at the
/// provider's base path, behind the provider's own authentication, with OpenAI's error bodies
/// and headers.
package enum CompatibleEmulator {
    /// The declaration `archestra mock up` runs for `profile`.
    package static func declaration(for profile: CompatibleEmulatorProfile) -> EmulatorDeclaration {
        EmulatorDeclaration(
            provider: profile.provider,
            basePath: profile.basePath,
            apiKey: profile.apiKey,
            environmentVariables: profile.environmentVariables,
            makeService: { host, port, logger, onListening in
                EmulatorApplication.make(router: makeRouter(profile: profile), host: host, port: port, logger: logger, onListening: onListening)
            }
        )
    }

    /// The emulator's routes. Each router gets its own ``ScenarioFailureBudget``, so `fail-count`
    /// counts per emulator instance.
    package static func makeRouter(profile: CompatibleEmulatorProfile) -> Router<BasicRequestContext> {
        let style = OpenAIErrorStyle()
        let gate = DialectScenarioGate(style: style, budget: ScenarioFailureBudget())
        let handlers = CompatibleHandlers(
            chat: CompatibleChatCompletionsHandler(gate: gate, quirks: profile.quirks),
            embeddings: OpenAIEmbeddingsHandler(gate: gate, identifierPrefix: profile.quirks.embeddingsIDPrefix),
            responses: OpenAIResponsesHandler(gate: gate),
            models: OpenAIModelsHandler(gate: gate),
            gate: gate
        )
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: DialectEnvelopeMiddleware(style: style, addHeaders: OpenAIResponseHeaders.add))
        router.add(middleware: CompatibleAuthenticationMiddleware(profile: profile))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        let base = profile.basePath
        if profile.operations.contains(.chatCompletions) {
            router.post("\(base)/chat/completions") { request, context in try await handlers.chat.handle(request, context: context) }
        }
        if profile.operations.contains(.embeddings) {
            router.post("\(base)/embeddings") { request, context in try await handlers.embeddings.handle(request, context: context) }
        }
        if profile.operations.contains(.responses) {
            router.post("\(base)/responses") { request, context in try await handlers.responses.handle(request, context: context) }
        }
        if profile.operations.contains(.models) {
            router.get("\(base)/models") { request, context in try await handlers.models.list(request, context: context) }
            router.get("\(base)/models/{id}") { request, context in try await handlers.models.retrieve(request, context: context) }
        }
        profile.extraRoutes?(router, handlers)
        return router
    }

    /// `http://host:port`, the root an SDK whose base is the host (groq, mistralai, ollama,
    /// AzureOpenAI) is given.
    package static func root(of endpoint: EmulatorEndpoint) -> String {
        let urlHost = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        return "http://\(urlHost):\(endpoint.port)"
    }
}
