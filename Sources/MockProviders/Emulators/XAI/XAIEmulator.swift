import HTTPTypes
import Hummingbird
import WireFormats
/// xAI: Chat Completions and Responses under `/v1`, `reasoning_content` for reasoning models,
/// and its flat `{"code","error"}` answer to a bad key, with status 400 (captures: `real-traffic/xai`).
package enum XAIEmulator {
    package static let apiKey = "xai-archestra-mock-key"

    package static let profile = CompatibleEmulatorProfile(
        provider: "xai",
        basePath: "/v1",
        apiKey: apiKey,
        unauthorized: { presented in
            let message = presented == nil
                ? "No API key provided. You can obtain an API key from https://console.x.ai."
                : "Incorrect API key provided. You can obtain an API key from https://console.x.ai."
            return EmulatorError(status: .badRequest, body: ["code": "invalid-argument", "error": .string(message)])
        },
        quirks: CompatibleQuirks(reasoningField: "reasoning_content"),
        operations: [.chatCompletions, .responses, .models],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_XAI_BASE_URL", value: endpoint.baseURL),
                (name: "XAI_BASE_URL", value: endpoint.baseURL),
                (name: "XAI_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_XAI_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
