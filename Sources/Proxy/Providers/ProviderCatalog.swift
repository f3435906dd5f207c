/// The providers the proxy serves, keyed by route segment.
package struct ProviderCatalog: Sendable {
    package let declarations: [ProviderDeclaration]

    package init(_ declarations: [ProviderDeclaration]) {
        self.declarations = declarations
    }

    package func declaration(for id: some StringProtocol) -> ProviderDeclaration? {
        self.declarations.first { $0.id == id }
    }

    /// Every provider this build of the proxy knows.
    package static let standard = ProviderCatalog([
        .openAI,
        .groq, .mistral, .xAI, .openRouter, .cerebras, .perplexity, .miniMax, .zhipuAI, .vLLM, .ollama, .azureOpenAI,
        .bedrock,
        .anthropic, .gemini, .cohere,
    ])
}

extension ProviderDeclaration {
    package static let openAI = ProviderDeclaration(
        id: "openai",
        dialect: OpenAIDialect(),
        defaultBaseURL: "https://api.openai.com/v1",
        baseURLVariables: ["ARCHESTRA_OPENAI_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_OPENAI_API_KEY",
        // A client configured with `<proxy>/v1/openai/v1` sends a redundant `/v1`.
        upstreamURL: AppendOperationPath(droppingPrefixes: ["/v1"]),
        modelRouter: .openAIWireWithResponses
    )
}
