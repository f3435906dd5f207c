import HTTPTypes
import Hummingbird
import WireFormats
/// Ollama: its OpenAI-compatible API under `/v1` and its native API at the root
/// (``OllamaNativeHandler``). A local server needs no key; a key that is sent must be the
/// emulator's (as Ollama Cloud checks), with Ollama Cloud's 401 body (captures: `real-traffic/ollama`).
package enum OllamaEmulator {
    package static let apiKey = "archestra-mock-ollama-key"

    package static let profile = CompatibleEmulatorProfile(
        provider: "ollama",
        basePath: "/v1",
        apiKey: apiKey,
        authentication: .optionalBearer,
        unauthorized: { _ in .openAIShaped(.unauthorized, message: "Unauthorized", type: "api_error") },
        quirks: CompatibleQuirks(reasoningField: "reasoning"),
        operations: [.chatCompletions, .embeddings, .models],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_OLLAMA_BASE_URL", value: endpoint.baseURL),
                // The ollama SDK takes the server root; the `/v1` API is below it.
                (name: "OLLAMA_HOST", value: CompatibleEmulator.root(of: endpoint)),
                (name: "OLLAMA_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_CHAT_OLLAMA_API_KEY", value: endpoint.apiKey),
            ]
        },
        extraRoutes: { router, handlers in
            let native = OllamaNativeHandler(gate: handlers.gate)
            router.post("/api/chat") { request, context in try await native.chat(request, context: context) }
            router.post("/api/embed") { request, context in try await native.embed(request, context: context) }
            router.get("/api/tags") { request, context in try await native.tags(request, context: context) }
            router.get("/api/version") { _, _ in native.version() }
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)
}
