package import Hummingbird
import Logging

/// The AWS Bedrock emulator: bedrock-runtime Converse / ConverseStream and the control plane's
/// ListInferenceProfiles, on one listener (their paths do not overlap), behind Bedrock's
/// authentication: SigV4 or a bearer API key.
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
        let router = Router(context: Context.self)
        router.add(middleware: BedrockAuthenticationMiddleware())
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/model/{modelId}/converse") { request, context in try await converse.handle(request, context: context, streaming: false) }
        router.post("/model/{modelId}/converse-stream") { request, context in try await converse.handle(request, context: context, streaming: true) }
        router.get("/inference-profiles") { request, context in try await profiles.handle(request, context: context) }
        return router
    }
}
