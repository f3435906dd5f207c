package import Hummingbird
import NIOCore
import WireFormats

/// The Cohere API emulator: v2 chat (stream events and non-stream), v2 embed, legacy v1 chat;
/// `Authorization: Bearer <key>`. Rules in `docs/emulators.md`.
package enum CohereEmulator {
    package static let apiKey = "co-archestra-mock-cohere-key"
    package static let acceptedAPIKeys = [apiKey]

    package static let declaration = EmulatorDeclaration(
        provider: "cohere",
        basePath: "",
        apiKey: apiKey,
        baseURLVariables: ["ARCHESTRA_COHERE_BASE_URL", "CO_API_URL"],
        apiKeyVariables: ["CO_API_KEY", "ARCHESTRA_CHAT_COHERE_API_KEY"],
        makeRouter: { makeRouter() }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, acceptedKeys: [String] = acceptedAPIKeys) -> Router<Context> {
        let style = CohereErrorStyle()
        let gate = DialectScenarioGate(style: style)
        let chat = CohereChatHandler(gate: gate)
        let router = Router(context: Context.self)
        router.add(middleware: DialectEnvelopeMiddleware(style: style))
        router.add(middleware: DialectAuthenticationMiddleware(
            acceptedKeys: acceptedKeys,
            key: { DialectAuthenticationMiddleware<Context>.bearerKey($0) },
            missing: { style.error(.unauthorized, "no api key supplied") },
            invalid: {
                style.error(.unauthorized, "Incorrect API key provided: ***********. You can find your API key at https://dashboard.cohere.com/api-keys.")
            }
        ))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/v2/chat") { request, context in try await chat.chatV2(request, context: context) }
        router.post("/v1/chat") { request, context in try await chat.chatV1(request, context: context) }
        router.post("/v2/embed") { request, context in
            let call = try await DialectJSONRequest.read(request, context: context, style: style)
            _ = try await gate.admit(call.scenario, model: call.model)
            let texts = call["texts"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let dimensions = call["output_dimension"]?.intValue ?? 1024
            let vectors: JSONValue = .array(texts.map { text in .array(DeterministicEmbedding.vector(for: text, dimensions: dimensions).map { .double(Double($0)) }) })
            let body: JSONValue = [
                "id": .string(CohereChatHandler.uuid(from: call.stableID)), "texts": .array(texts.map(JSONValue.string)),
                "embeddings": ["float": vectors], "response_type": "embeddings_by_type",
                "meta": ["api_version": ["version": "2"], "billed_units": ["input_tokens": .int(texts.reduce(0) { $0 + DeterministicReply.wordCount(of: $1) })]],
            ]
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encodedData())))
        }
        return router
    }
}
