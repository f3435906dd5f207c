extension ProviderDeclaration {
    /// Cohere: the reference's `/chat` is v2 chat upstream; the cohere SDK's own `/v2/chat`,
    /// `/v2/embed` and the legacy `/v1/chat` pass through.
    package static let cohere = ProviderDeclaration(
        id: "cohere",
        dialect: CohereDialect(),
        defaultBaseURL: "https://api.cohere.ai",
        baseURLVariables: ["ARCHESTRA_COHERE_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_COHERE_API_KEY",
        upstreamURL: RewriteOperationPath(["/chat": "/v2/chat"]),
        modelRouter: .cohere
    )
}
