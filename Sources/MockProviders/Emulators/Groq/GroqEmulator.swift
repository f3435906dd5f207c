import HTTPTypes
import Hummingbird
import WireFormats
/// Groq: OpenAI's API under `/openai/v1`, `x_groq` stream metadata, `reasoning` deltas and the
/// `tool_use_failed` 400 (captures: `real-traffic/groq`).
package enum GroqEmulator {
    package static let apiKey = "gsk_archestra_mock_groq"

    package static let profile = CompatibleEmulatorProfile(
        provider: "groq",
        basePath: "/openai/v1",
        apiKey: apiKey,
        unauthorized: { _ in
            .openAIShaped(.unauthorized, message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key")
        },
        quirks: CompatibleQuirks(reasoningField: "reasoning", groqMetadata: true, groqToolUseFailed: true, usageOnFinishChunk: true),
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_GROQ_BASE_URL", value: endpoint.baseURL),
                // The groq SDK's base is the host; it adds `/openai/v1` itself.
                (name: "GROQ_BASE_URL", value: CompatibleEmulator.root(of: endpoint)),
                (name: "GROQ_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_GROQ_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
