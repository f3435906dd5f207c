extension ProviderDeclaration {
    /// Ollama: its OpenAI-compatible API under `/v1`, and its native API (`/api/chat`, `/api/tags`,
    /// `/api/embed`, NDJSON streams) at the server root. A local server needs no key; Ollama
    /// Cloud does, and a key sent is forwarded.
    package static let ollama = ProviderDeclaration(
        id: "ollama",
        dialect: OpenAIDialect(),
        defaultBaseURL: "http://localhost:11434/v1",
        baseURLVariables: ["ARCHESTRA_OLLAMA_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_OLLAMA_API_KEY",
        clientCredentials: ProviderDeclaration.selfHostedCredentials,
        credentialOptional: true,
        upstreamURL: OllamaURLResolver()
    )
}
