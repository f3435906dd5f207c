/// The OpenAI API emulator: Chat Completions, Responses, Embeddings and Models under `/v1`,
/// answering deterministically (rules in `docs/emulators.md`). It is the compatible family's
/// profile with no quirks: every other OpenAI-compatible emulator is this one plus its deviations.
package enum OpenAIEmulator {
    /// The key written to the env file; requests must carry it as `Authorization: Bearer <key>`.
    package static let apiKey = "sk-archestra-mock-openai"

    package static let profile = CompatibleEmulatorProfile(
        provider: "openai",
        basePath: "/v1",
        apiKey: apiKey,
        unauthorized: { maskedKey in
            maskedKey.map { OpenAIErrorStyle.incorrectAPIKey(maskedKey: $0) } ?? OpenAIErrorStyle.missingAPIKey
        },
        operations: [.chatCompletions, .responses, .embeddings, .models],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_OPENAI_BASE_URL", value: endpoint.baseURL),
                (name: "OPENAI_BASE_URL", value: endpoint.baseURL),
                (name: "OPENAI_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_OPENAI_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
