import HTTPTypes
import Hummingbird
import WireFormats
/// vLLM: `/v1`, a key optional (as a server behind a network boundary) but checked when sent (as
/// `--api-key` does), `{"error":"Unauthorized"}`, `reasoning_content` for reasoning models.
package enum VLLMEmulator {
    package static let apiKey = "archestra-mock-vllm-key"

    package static let profile = CompatibleEmulatorProfile(
        provider: "vllm",
        basePath: "/v1",
        apiKey: apiKey,
        authentication: .optionalBearer,
        unauthorized: { _ in EmulatorError(status: .unauthorized, body: ["error": "Unauthorized"]) },
        quirks: CompatibleQuirks(reasoningField: "reasoning_content"),
        operations: [.chatCompletions, .embeddings, .models],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_VLLM_BASE_URL", value: endpoint.baseURL),
                (name: "VLLM_BASE_URL", value: endpoint.baseURL),
                (name: "VLLM_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_VLLM_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
