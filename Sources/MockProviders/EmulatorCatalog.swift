/// Every emulator `archestra mock up` runs, in port order.
///
/// The order is a contract: with a base port `P`, the emulator at index `i` listens on `P + i`.
/// Append new providers at the end so existing ports never move.
package enum EmulatorCatalog {
    package static let all: [EmulatorDeclaration] = [
        OpenAIEmulator.declaration,
        GroqEmulator.declaration,
        MistralEmulator.declaration,
        XAIEmulator.declaration,
        OpenRouterEmulator.declaration,
        CerebrasEmulator.declaration,
        PerplexityEmulator.declaration,
        MiniMaxEmulator.declaration,
        ZhipuAIEmulator.declaration,
        VLLMEmulator.declaration,
        OllamaEmulator.declaration,
        AzureOpenAIEmulator.declaration,
        BedrockEmulator.declaration,
        AWSIdentityEmulator.declaration,
        AnthropicEmulator.declaration,
        GeminiEmulator.declaration,
        CohereEmulator.declaration,
        GoogleIdentityEmulator.declaration,
        VertexAIEmulator.declaration,
        EntraIDEmulator.declaration,
        AzureManagedIdentityEmulator.declaration,
    ]
}
