import Hummingbird
import HTTPTypes
import WireFormats

/// MiniMax: `/v1/chat/completions` and the native `/v1/text/chatcompletion_v2`, `base_resp` on
/// every answer, `reasoning_content` for reasoning models, and a `base_resp` 1004 on a bad key.
package enum MiniMaxEmulator {
    package static let apiKey = "archestra-mock-minimax-key"

    package static let profile = CompatibleEmulatorProfile(
        provider: "minimax",
        basePath: "/v1",
        apiKey: apiKey,
        unauthorized: { _ in
            EmulatorError(
                status: .unauthorized,
                body: [
                    "base_resp": [
                        "status_code": 1004,
                        "status_msg": "login fail: Please carry the API secret key in the 'Authorization' field of the request header",
                    ]
                ]
            )
        },
        quirks: CompatibleQuirks(reasoningField: "reasoning_content", baseResp: true),
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_CHAT_MINIMAX_BASE_URL", value: endpoint.baseURL),
                (name: "MINIMAX_BASE_URL", value: endpoint.baseURL),
                (name: "MINIMAX_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_MINIMAX_API_KEY", value: endpoint.apiKey),
            ]
        },
        extraRoutes: { router, handlers in
            router.post("/v1/text/chatcompletion_v2") { request, context in try await handlers.chat.handle(request, context: context) }
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
