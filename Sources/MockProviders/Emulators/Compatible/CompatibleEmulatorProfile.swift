package import Hummingbird
import HTTPTypes
import WireFormats

/// One OpenAI-compatible provider's emulator, as data: where it serves, which key it takes, how it
/// says "unauthorized", and how its answers deviate from OpenAI's (``CompatibleQuirks``).
///
/// Every OpenAI-compatible emulator, OpenAI's own included, is the same machinery (deterministic
/// replies, tool-call planning, scenarios) under its profile; see ``CompatibleEmulator``. A
/// provider's deviations live here, never in the shared code.
package struct CompatibleEmulatorProfile: Sendable {
    /// Provider id, as in the proxy's routes (`groq`).
    package let provider: String
    /// Path the SDK's base URL ends with (`/openai/v1` for Groq, empty for Perplexity).
    package let basePath: String
    /// The key written to the env file.
    package let apiKey: String
    package let authentication: CompatibleAuthentication
    /// The provider's own 401 (xAI: 400) answer; `presentedKey` is `nil` when none was sent, and
    /// masked (``BearerCredential/masked(_:)``) when one was.
    package let unauthorized: @Sendable (_ presentedKey: String?) -> EmulatorError
    /// A bearer credential the provider accepts besides its key (Azure: an Entra ID token), asked
    /// before the key is compared: `true` when it recognises and accepts `token` for `path`,
    /// `false` when `token` is not its kind (the key check follows); throws the provider's 401
    /// for one it recognises but refuses. `nil`: only the key is accepted.
    package let verifyBearerToken: (@Sendable (_ token: String, _ path: String) throws(EmulatorError) -> Bool)?
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
        unauthorized: @escaping @Sendable (String?) -> EmulatorError,
        verifyBearerToken: (@Sendable (String, String) throws(EmulatorError) -> Bool)? = nil,
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
        self.verifyBearerToken = verifyBearerToken
        self.quirks = quirks
        self.operations = operations
        self.environmentVariables = environmentVariables
        self.extraRoutes = extraRoutes
    }
}
