import HTTPTypes
import Hummingbird
import WireFormats
/// OpenRouter: `/api/v1`, `: OPENROUTER PROCESSING` comment lines before the first event,
/// `provider` on every answer, `reasoning` deltas, an error chunk inside a 200 stream for models
/// ending in `midstream-error`, and `{"error":{"message","code":401}}` (captures:
/// `real-traffic/openrouter`).
package enum OpenRouterEmulator {
    package static let apiKey = "sk-or-v1-archestra-mock"

    package static let profile = CompatibleEmulatorProfile(
        provider: "openrouter",
        basePath: "/api/v1",
        apiKey: apiKey,
        unauthorized: { presented in
            EmulatorError(
                status: .unauthorized,
                body: ["error": ["message": .string(presented == nil ? "No auth credentials found" : "User not found."), "code": 401]]
            )
        },
        quirks: CompatibleQuirks(
            reasoningField: "reasoning",
            keepAliveComments: ["OPENROUTER PROCESSING", "OPENROUTER PROCESSING"],
            upstreamProviderName: "ArchestraMock",
            midStreamErrorModelSuffix: "midstream-error"
        ),
        operations: [.chatCompletions, .embeddings, .models],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_OPENROUTER_BASE_URL", value: endpoint.baseURL),
                (name: "OPENROUTER_BASE_URL", value: endpoint.baseURL),
                (name: "OPENROUTER_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_OPENROUTER_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
