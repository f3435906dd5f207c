import HTTPTypes
import Hummingbird
import WireFormats
/// Perplexity: `/chat/completions` at the root (no `/v1`), `citations` and `search_results` on
/// the answer and on every chunk with `usage` on every chunk (captures: `real-traffic/perplexity`).
package enum PerplexityEmulator {
    package static let apiKey = "pplx-archestra-mock"

    package static let profile = CompatibleEmulatorProfile(
        provider: "perplexity",
        basePath: "",
        apiKey: apiKey,
        unauthorized: { _ in
            .openAIShaped(.unauthorized, message: "Invalid API key provided.", type: "invalid_api_key", code: 401)
        },
        quirks: CompatibleQuirks(citations: true, perplexityStream: true, usageOnFinishChunk: true, omitOpenAIEnvelopeFields: true),
        operations: [.chatCompletions],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_PERPLEXITY_BASE_URL", value: endpoint.baseURL),
                (name: "PERPLEXITY_BASE_URL", value: endpoint.baseURL),
                (name: "PERPLEXITY_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_PERPLEXITY_API_KEY", value: endpoint.apiKey),
            ]
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
