import HTTPTypes
package import Hummingbird
import NIOCore
import WireFormats

/// The Anthropic Messages API emulator: `/v1/messages` (stream and not), `count_tokens` and
/// `/v1/models`, with the key checked as `x-api-key` (SDK 0.x/1.x) or `Authorization: Bearer`
/// (SDK 2.x). Rules in `docs/emulators.md`.
package enum AnthropicEmulator {
    package static let apiKey = "sk-ant-archestra-mock"
    package static let acceptedAPIKeys = [apiKey]
    /// Microsoft Foundry's base path for Claude (`https://<resource>.services.ai.azure.com/anthropic`).
    package static let foundryPrefix = "/anthropic"

    /// The models `GET /v1/models` lists (any model name is accepted by `/v1/messages`).
    static let models: [(id: String, displayName: String, createdAt: String)] = [
        ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
        ("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z"),
        ("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"),
    ]

    package static let declaration = EmulatorDeclaration(
        provider: "anthropic",
        basePath: "",
        apiKey: apiKey,
        baseURLVariables: ["ARCHESTRA_ANTHROPIC_BASE_URL", "ANTHROPIC_BASE_URL"],
        apiKeyVariables: ["ANTHROPIC_API_KEY", "ARCHESTRA_CHAT_ANTHROPIC_API_KEY"],
        // The anthropic SDK's `AnthropicFoundry` client: Claude on Microsoft Foundry, served here
        // under `/anthropic` (its base URL ends in `/anthropic/`; the SDK appends `v1/messages`).
        extraVariables: { endpoint in
            [
                (name: "ANTHROPIC_FOUNDRY_BASE_URL", value: endpoint.baseURL + foundryPrefix + "/"),
                (name: "ANTHROPIC_FOUNDRY_API_KEY", value: endpoint.apiKey),
            ]
        },
        makeRouter: { makeRouter() }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, acceptedKeys: [String] = acceptedAPIKeys) -> Router<Context> {
        let style = AnthropicErrorStyle()
        let messages = AnthropicMessagesHandler(gate: DialectScenarioGate(style: style))
        let router = Router(context: Context.self)
        router.add(middleware: DialectEnvelopeMiddleware(style: style) { headers, _ in
            if headers[.anthropicRequestID] == nil { headers[.anthropicRequestID] = AnthropicErrorStyle.newRequestID() }
        })
        router.add(middleware: DialectAuthenticationMiddleware(
            acceptedKeys: acceptedKeys,
            key: { request in
                if let name = HTTPField.Name("x-api-key"), let key = request.headers[name] { return key }
                let bearer = DialectAuthenticationMiddleware<Context>.bearerKey(request)
                // Claude on Microsoft Foundry (`/anthropic/v1/…`) also takes an Entra ID token for
                // `https://ai.azure.com`; a verified one stands for the account's key.
                if request.uri.path.hasPrefix(foundryPrefix + "/"), let token = bearer, EntraMockTokenAuthority.looksLikeJWT(token) {
                    return EntraMockTokenAuthority.acceptsAccessToken(token, audiences: ["https://ai.azure.com"]) ? acceptedKeys.first : "invalid-entra-token"
                }
                return bearer
            },
            missing: { style.error(.unauthorized, "x-api-key header is required") },
            invalid: { style.error(.unauthorized, "invalid x-api-key") }
        ))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/v1/messages") { request, context in try await messages.handle(request, context: context) }
        router.post("/v1/messages/count_tokens") { request, context in try await messages.countTokens(request, context: context) }
        router.post("\(foundryPrefix)/v1/messages") { request, context in try await messages.handle(request, context: context) }
        router.post("\(foundryPrefix)/v1/messages/count_tokens") { request, context in try await messages.countTokens(request, context: context) }
        router.get("/v1/models") { _, _ in Self.json(Self.modelList) }
        router.get("/v1/models/{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let model = Self.models.first(where: { $0.id == id }) else {
                throw style.error(.notFound, "model: \(id)")
            }
            return Self.json(Self.modelObject(model))
        }
        return router
    }

    static func modelObject(_ model: (id: String, displayName: String, createdAt: String)) -> JSONValue {
        ["type": "model", "id": .string(model.id), "display_name": .string(model.displayName), "created_at": .string(model.createdAt)]
    }

    static var modelList: JSONValue {
        [
            "data": .array(Self.models.map(Self.modelObject)), "has_more": false,
            "first_id": .string(Self.models.first?.id ?? ""), "last_id": .string(Self.models.last?.id ?? ""),
        ]
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encodedData())))
    }
}
