package import Hummingbird
import Logging

/// Google's identity endpoints on one listener: the GCE metadata server (`/` ping and
/// `/computeMetadata/v1/…`) and the OAuth2 token endpoint (`POST /token`). Their paths do not
/// overlap, so the env file points `GCE_METADATA_HOST`, `GCE_METADATA_IP` and the generated
/// service-account key file's `token_uri` at the same port.
package enum GoogleIdentityEmulator {
    package static let provider = "google-identity"
    package static let tokenPath = "/token"

    package static let declaration = EmulatorDeclaration(
        provider: provider,
        basePath: "",
        apiKey: GoogleMockIdentity.userRefreshToken,
        environmentVariables: { endpoint in
            let hostPort = (endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host) + ":\(endpoint.port)"
            return [
                (name: "GCE_METADATA_HOST", value: hostPort),
                (name: "GCE_METADATA_IP", value: hostPort),
                (name: "GOOGLE_CLOUD_PROJECT", value: GoogleMockIdentity.projectID),
                (name: "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT", value: GoogleMockIdentity.projectID),
                (name: "ARCHESTRA_GEMINI_VERTEX_AI_LOCATION", value: "us-central1"),
                (name: "ARCHESTRA_MOCK_GOOGLE_TOKEN_URI", value: endpoint.baseURL + tokenPath),
            ]
        },
        makeService: { host, port, logger, onListening in
            EmulatorApplication.make(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
        }
    )

    /// `tokenLifetime`: seconds each issued access token lives (short in refresh tests).
    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, tokenLifetime: Double = 3599) -> Router<Context> {
        let metadata = GoogleMetadataHandler(tokenLifetime: tokenLifetime)
        let token = GoogleTokenEndpointHandler(tokenLifetime: tokenLifetime)
        let router = Router(context: Context.self)
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/token") { request, context in try await token.handle(request, context: context) }
        router.get("/") { request, context in try await metadata.handle(request, context: context) }
        router.get("/computeMetadata/**") { request, context in try await metadata.handle(request, context: context) }
        return router
    }
}
