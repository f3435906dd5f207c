package import Hummingbird
import HTTPTypes
import WireFormats

/// One OpenAI-compatible provider's emulator, as data: where it serves, which key it takes, how it
/// says "unauthorized", and how its answers deviate from OpenAI's (``CompatibleQuirks``).
///
/// Every compatible emulator is the OpenAI emulator's machinery (deterministic replies, tool-call
/// planning, scenarios) under this profile; see ``CompatibleEmulator``.
package struct CompatibleEmulatorProfile: Sendable {
    /// Provider id, as in the proxy's routes (`groq`).
    package let provider: String
    /// Path the SDK's base URL ends with (`/openai/v1` for Groq, empty for Perplexity).
    package let basePath: String
    /// The key written to the env file.
    package let apiKey: String
    package let authentication: CompatibleAuthentication
    /// The provider's own 401 (xAI: 400) answer; `presentedKey` is `nil` when none was sent.
    package let unauthorized: @Sendable (_ presentedKey: String?) -> CompatibleEmulatorError
    package let quirks: CompatibleQuirks
    /// Operations served below ``basePath``.
    package let operations: Set<CompatibleOperation>
    /// Env variables pointing `archestra serve` and the provider's SDK at the running emulator.
    package let environmentVariables: @Sendable (EmulatorEndpoint) -> [(name: String, value: String)]
    /// Routes beyond the OpenAI-shaped ones (Ollama's native API, Azure's deployment paths).
    package let extraRoutes: (@Sendable (Router<BasicRequestContext>, CompatibleHandlers) -> Void)?

    package init(
        provider: String,
        basePath: String,
        apiKey: String,
        authentication: CompatibleAuthentication = .bearer,
        unauthorized: @escaping @Sendable (String?) -> CompatibleEmulatorError,
        quirks: CompatibleQuirks = CompatibleQuirks(),
        operations: Set<CompatibleOperation> = [.chatCompletions, .models],
        environmentVariables: @escaping @Sendable (EmulatorEndpoint) -> [(name: String, value: String)],
        extraRoutes: (@Sendable (Router<BasicRequestContext>, CompatibleHandlers) -> Void)? = nil
    ) {
        self.provider = provider
        self.basePath = basePath
        self.apiKey = apiKey
        self.authentication = authentication
        self.unauthorized = unauthorized
        self.quirks = quirks
        self.operations = operations
        self.environmentVariables = environmentVariables
        self.extraRoutes = extraRoutes
    }
}

/// The OpenAI-shaped operations a compatible emulator may serve below its base path.
package enum CompatibleOperation: Sendable, Hashable {
    case chatCompletions
    case embeddings
    case responses
    case models
}

/// How an emulator checks the client's key.
package enum CompatibleAuthentication: Sendable, Hashable {
    /// `Authorization: Bearer <key>`, required (hosted providers).
    case bearer
    /// A bearer key is optional; one that is sent must be right (vLLM started with `--api-key`
    /// behind a proxy that adds none; Ollama Cloud keys on a local server).
    case optionalBearer
    /// `api-key: <key>` or `Authorization: Bearer <key>` (Azure).
    case azureKey
}

/// The handlers an emulator's extra routes may reuse.
package struct CompatibleHandlers: Sendable {
    package let chat: CompatibleChatCompletionsHandler
    package let embeddings: OpenAIEmbeddingsHandler
    package let responses: OpenAIResponsesHandler
    package let models: OpenAIModelsHandler
    package let gate: OpenAIScenarioGate
}
