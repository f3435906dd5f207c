import HTTPTypes
import Hummingbird
import WireFormats
/// ZhipuAI / Z.ai: `/api/paas/v4`, `reasoning_content` for GLM thinking models, and its numeric
/// string error codes (`1001` no key, `1000` bad key) (captures: `real-traffic/zai`).
package enum ZhipuAIEmulator {
    package static let apiKey = "archestra-mock-zhipuai.key"

    package static let profile = CompatibleEmulatorProfile(
        provider: "zhipuai",
        basePath: "/api/paas/v4",
        apiKey: apiKey,
        unauthorized: { presented in
            let (code, message) = presented == nil
                ? ("1001", "Authentication parameter not received in Header, unable to authenticate")
                : ("1000", "Authentication Failed")
            return EmulatorError(status: .unauthorized, body: ["error": ["code": .string(code), "message": .string(message)]])
        },
        quirks: CompatibleQuirks(reasoningField: "reasoning_content", requestIDField: true),
        operations: [.chatCompletions, .embeddings],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_ZHIPUAI_BASE_URL", value: endpoint.baseURL),
                (name: "ZHIPUAI_BASE_URL", value: endpoint.baseURL),
                (name: "ZHIPUAI_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_ZHIPUAI_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
