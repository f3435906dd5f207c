import HTTPTypes
import Hummingbird
import WireFormats
/// Mistral: OpenAI's chat and embeddings under `/v1`, `"tool_choice":"any"`, `reasoning_content`
/// for Magistral models, and the `{"detail":…}` 401 (captures: `real-traffic/mistral`).
package enum MistralEmulator {
    package static let apiKey = "archestra-mock-mistral-key"

    package static let profile = CompatibleEmulatorProfile(
        provider: "mistral",
        basePath: "/v1",
        apiKey: apiKey,
        unauthorized: { _ in EmulatorError(status: .unauthorized, body: ["detail": "Invalid API Key"]) },
        quirks: CompatibleQuirks(
            reasoningField: "reasoning_content", usageOnFinishChunkAlways: true, embeddingsIDPrefix: "embd-", anyToolChoiceMeansRequired: true,
            omitOpenAIEnvelopeFields: true
        ),
        operations: [.chatCompletions, .embeddings, .models],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_MISTRAL_BASE_URL", value: endpoint.baseURL),
                // mistralai has no URL variable; this is the `server_url` to give it (the host root).
                (name: "MISTRAL_SERVER_URL", value: CompatibleEmulator.root(of: endpoint)),
                (name: "MISTRAL_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_MISTRAL_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
