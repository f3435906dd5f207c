extension ProviderDeclaration {
    /// MiniMax. Its base-URL variable is irregular (`ARCHESTRA_CHAT_MINIMAX_BASE_URL`), as the
    /// reference names it; the regular spelling is accepted after it.
    package static let miniMax = ProviderDeclaration.openAICompatible(
        id: "minimax",
        defaultBaseURL: "https://api.minimax.io/v1",
        baseURLVariables: ["ARCHESTRA_CHAT_MINIMAX_BASE_URL", "ARCHESTRA_MINIMAX_BASE_URL"]
    )
}
