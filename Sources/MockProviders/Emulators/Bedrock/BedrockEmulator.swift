import Foundation
package import Hummingbird
import Logging

/// The AWS Bedrock emulator, on one listener (the paths do not overlap), behind Bedrock's
/// authentication (SigV4 or a bearer API key): bedrock-runtime Converse / ConverseStream
/// (``BedrockConverseHandler``: tool use with `toolChoice`, `reasoningContent`, image blocks
/// checked) and InvokeModel for the embedding models (``BedrockInvokeEmbeddingsHandler``); the
/// control plane's ListInferenceProfiles, ListFoundationModels and GetFoundationModel
/// (``BedrockFoundationModelsHandler``).
package enum BedrockEmulator {
    package static let region = "us-east-1"

    package static let declaration = EmulatorDeclaration(
        provider: "bedrock",
        basePath: "",
        apiKey: AWSMockCredentialAuthority.bedrockAPIKey,
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_BEDROCK_BASE_URL", value: endpoint.baseURL),
                (name: "ARCHESTRA_CHAT_BEDROCK_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_BEDROCK_REGION", value: region),
                (name: "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", value: endpoint.baseURL),
                (name: "AWS_ENDPOINT_URL_BEDROCK", value: endpoint.baseURL),
                (name: "AWS_DEFAULT_REGION", value: region),
                (name: "AWS_ACCESS_KEY_ID", value: AWSMockCredentialAuthority.accessKeyID),
                (name: "AWS_SECRET_ACCESS_KEY", value: AWSMockCredentialAuthority.secretAccessKey),
                (name: "ARCHESTRA_MOCK_AWS_BEARER_TOKEN_BEDROCK", value: endpoint.apiKey),
            ] + (MockCertificateAuthority.bundlePath.map { [(name: "AWS_CA_BUNDLE", value: $0)] } ?? [])
                + (MockCertificateAuthority.serverCertificateFiles.map {
                    [(name: "ARCHESTRA_MOCK_TLS_CERT_FILE", value: $0.certificate), (name: "ARCHESTRA_MOCK_TLS_KEY_FILE", value: $0.key)]
                } ?? [])
        },
        scheme: EmulatorApplication.httpsSchemeWhenAvailable,
        makeService: { host, port, logger, onListening in
            EmulatorApplication.makeHTTPSWhenAvailable(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
        }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let converse = BedrockConverseHandler()
        let profiles = BedrockInferenceProfilesHandler()
        let foundationModels = BedrockFoundationModelsHandler()
        let invoke = BedrockInvokeEmbeddingsHandler()
        let router = Router(context: Context.self)
        router.add(middleware: BedrockAuthenticationMiddleware())
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/model/{modelId}/converse") { request, context in try await converse.handle(request, context: context, streaming: false) }
        router.post("/model/{modelId}/converse-stream") { request, context in try await converse.handle(request, context: context, streaming: true) }
        router.post("/model/{modelId}/invoke") { request, context in try await invoke.handle(request, context: context) }
        router.get("/inference-profiles") { request, context in try await profiles.handle(request, context: context) }
        router.get("/foundation-models") { request, _ in try foundationModels.list(request) }
        router.get("/foundation-models/{modelIdentifier}") { _, context in
            let raw = context.parameters.get("modelIdentifier") ?? ""
            return try foundationModels.get(raw.removingPercentEncoding ?? raw)
        }
        return router
    }
}
