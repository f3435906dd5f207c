import HTTPTypes
package import Hummingbird
import Logging
import WireFormats

/// Vertex AI's Gemini endpoints: `POST /{v1,v1beta1}/projects/{p}/locations/{l}/publishers/google/models/{model}:{method}`
/// (`generateContent`, `streamGenerateContent`, `countTokens`, `embedContent`,
/// `batchEmbedContents`, and `predict` for the text-embedding models), served by the Gemini
/// emulator's handler, plus `GET /{v1,v1beta1}/publishers/google/models[/{model}]` (Model Garden
/// `PublisherModel`s, paginated), with `Authorization: Bearer` holding an access token
/// the Google identity emulator issued (checked: signature, expiry, cloud-platform scope).
package enum VertexAIEmulator {
    package static let declaration = EmulatorDeclaration(
        provider: "vertex",
        basePath: "",
        apiKey: "",
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL", value: endpoint.baseURL),
                (name: "GOOGLE_VERTEX_BASE_URL", value: endpoint.baseURL),
            ]
        },
        makeService: { host, port, logger, onListening in
            EmulatorApplication.make(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
        }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let style = GeminiErrorStyle()
        let generate = GeminiGenerateHandler(gate: DialectScenarioGate(style: style))
        let router = Router(context: Context.self)
        router.add(middleware: DialectEnvelopeMiddleware(style: style))
        router.add(middleware: VertexAIAuthenticationMiddleware<Context>(style: style))
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        for version in ["v1", "v1beta1"] {
            router.post("/\(version)/projects/{project}/locations/{location}/publishers/google/models/{target}") { request, context in
                try await generate.handle(request, context: context)
            }
            // The Model Garden listing google-genai's `models.list()` reads (no project in the path).
            GeminiModelCatalog.addRoutes(
                to: router, path: "/\(version)/publishers/google/models", key: "publisherModels", style: style, object: GeminiModelCatalog.vertexObject
            ) { name in "Publisher Model `publishers/google/models/\(name)` is not found." }
        }
        return router
    }
}

/// Google Cloud's answer to a request without a valid OAuth token: 401 `UNAUTHENTICATED`
/// (`ACCESS_TOKEN_TYPE_UNSUPPORTED` for an API key, `ACCESS_TOKEN_EXPIRED`, …); 403
/// `ACCESS_TOKEN_SCOPE_INSUFFICIENT` for a token without cloud-platform.
struct VertexAIAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let style: GeminiErrorStyle

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        let message =
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
        guard let token = DialectAuthenticationMiddleware<Context>.bearerKey(request) else {
            throw Self.failure(.unauthorized, message, reason: "CREDENTIALS_MISSING")
        }
        switch GoogleMockIdentity.validateAccessToken(token) {
        case nil:
            return try await next(request, context)
        case .expired:
            throw Self.failure(.unauthorized, message, reason: "ACCESS_TOKEN_EXPIRED")
        case .invalid:
            throw Self.failure(.unauthorized, message, reason: "ACCESS_TOKEN_TYPE_UNSUPPORTED")
        case .insufficientScope:
            throw Self.failure(.forbidden, "Request had insufficient authentication scopes.", reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
        }
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String, reason: String) -> EmulatorError {
        let details: [JSONValue] = [
            [
                "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": .string(reason), "domain": "googleapis.com",
                "metadata": ["service": "aiplatform.googleapis.com", "method": "google.cloud.aiplatform.v1.PredictionService.GenerateContent"],
            ]
        ]
        return EmulatorError(status: status, body: GoogleRPCStatusBody(code: status.code, message: message, details: details).json)
    }
}
