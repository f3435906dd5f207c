import MockProviders
import Testing

@Suite("The env file points the proxy and the native SDKs at the Anthropic, Gemini and Cohere emulators")
struct AnthropicGeminiCohereEnvironmentTests {
    @Test("each native emulator sets the proxy's base URL and fallback key, and its SDK's base URL and key")
    func variables() throws {
        let expected: [(EmulatorDeclaration, [String])] = [
            (
                AnthropicEmulator.declaration,
                [
                    "ARCHESTRA_ANTHROPIC_BASE_URL", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "ARCHESTRA_CHAT_ANTHROPIC_API_KEY",
                    "ANTHROPIC_FOUNDRY_BASE_URL", "ANTHROPIC_FOUNDRY_API_KEY",
                ]
            ),
            (GeminiEmulator.declaration, ["ARCHESTRA_GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ARCHESTRA_CHAT_GEMINI_API_KEY"]),
            (CohereEmulator.declaration, ["ARCHESTRA_COHERE_BASE_URL", "CO_API_URL", "CO_API_KEY", "ARCHESTRA_CHAT_COHERE_API_KEY"]),
        ]
        for (declaration, names) in expected {
            let endpoint = EmulatorEndpoint(provider: declaration.provider, host: "127.0.0.1", port: 9101, basePath: declaration.basePath, apiKey: declaration.apiKey)
            let variables = MockEnvironment.variables(for: [endpoint])
            #expect(variables.map(\.name) == names)
            for variable in variables {
                // The anthropic SDK's Foundry client takes the Foundry base path, slash included.
                let url = variable.name == "ANTHROPIC_FOUNDRY_BASE_URL" ? "http://127.0.0.1:9101/anthropic/" : "http://127.0.0.1:9101"
                let expectedValue = variable.name.hasSuffix("_KEY") ? declaration.apiKey : url
                #expect(variable.value == expectedValue, "\(variable.name)")
            }
        }
    }

    @Test("the catalog keeps OpenAI first and holds the native emulators after it")
    func catalogOrder() {
        let providers = EmulatorCatalog.all.map(\.provider)
        #expect(providers.first == "openai")
        #expect(Set(providers).isSuperset(of: ["anthropic", "gemini", "cohere"]))
    }
}
