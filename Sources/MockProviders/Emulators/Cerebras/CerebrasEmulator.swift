import HTTPTypes
import Hummingbird
import WireFormats
/// Cerebras: `/v1`, `time_info` beside `usage`, and its flat `wrong_api_key` 401 (capture:
/// `real-traffic/cerebras`).
package enum CerebrasEmulator {
    package static let apiKey = "csk-archestra-mock"

    package static let profile = CompatibleEmulatorProfile(
        provider: "cerebras",
        basePath: "/v1",
        apiKey: apiKey,
        unauthorized: { _ in
            EmulatorError(
                status: .unauthorized,
                body: ["message": "Wrong API Key", "type": "invalid_request_error", "param": "api_key", "code": "wrong_api_key"]
            )
        },
        quirks: CompatibleQuirks(timeInfo: true),
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_CEREBRAS_BASE_URL", value: endpoint.baseURL),
                (name: "CEREBRAS_BASE_URL", value: CompatibleEmulator.root(of: endpoint)),
                (name: "CEREBRAS_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_CEREBRAS_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
