import Hummingbird
import HTTPTypes
import WireFormats

/// Azure OpenAI: the resource form under `/openai` (deployment paths, `api-version` required,
/// `/openai/responses`) and the v1 form under `/openai/v1` (no `api-version`); the key in
/// `api-key` or as a bearer token; `prompt_filter_results` and `content_filter_results` on every
/// answer; Azure's `{"error":{"code":"401",…}}` (captures: `real-traffic/azure`, `PROTOCOLS.md` §2).
package enum AzureOpenAIEmulator {
    package static let apiKey = "archestra-mock-azure-openai-key"
    /// The `api-version` written to the env file for the AzureOpenAI SDK.
    package static let sdkAPIVersion = "2024-10-21"
    /// A deployment name the emulator reports as missing, to show Azure's 404.
    package static let missingDeployment = "does-not-exist"
    /// The deployments this resource has: one per model the OpenAI catalog knows, named after
    /// it (as most Azure resources name theirs). Any other name is Azure's 404
    /// `DeploymentNotFound`. Listed in the env file as `ARCHESTRA_MOCK_AZURE_OPENAI_DEPLOYMENTS`.
    package static let deployments: [String] = OpenAIModelsHandler.catalog.map(\.id)

    package static let profile = CompatibleEmulatorProfile(
        provider: "azure",
        basePath: "/openai",
        apiKey: apiKey,
        authentication: .azureKey,
        unauthorized: { _ in
            EmulatorError(
                status: .unauthorized,
                body: [
                    "error": [
                        "code": "401",
                        "message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
                    ]
                ]
            )
        },
        // Keyless: a bearer JWT is an Entra ID token, checked for signature and audience.
        verifyBearerToken: { token, path throws(EmulatorError) in
            guard EntraMockTokenAuthority.looksLikeJWT(token) else { return false }
            try Self.requireEntraToken(token, path: path)
            return true
        },
        quirks: CompatibleQuirks(contentFilter: true),
        operations: [],
        environmentVariables: { endpoint in
            [
                (name: "ARCHESTRA_AZURE_OPENAI_BASE_URL", value: endpoint.baseURL),
                (name: "AZURE_OPENAI_ENDPOINT", value: CompatibleEmulator.root(of: endpoint)),
                (name: "AZURE_OPENAI_API_KEY", value: endpoint.apiKey),
                (name: "OPENAI_API_VERSION", value: sdkAPIVersion),
                (name: "ARCHESTRA_CHAT_AZURE_OPENAI_API_KEY", value: endpoint.apiKey),
                (name: "ARCHESTRA_MOCK_AZURE_OPENAI_DEPLOYMENTS", value: deployments.joined(separator: ",")),
            ]
        },
        extraRoutes: { router, handlers in
            router.post("/openai/deployments/{deployment}/chat/completions") { request, context in
                try AzureAPIVersion.require(in: request)
                try Self.requireDeployment(context)
                return try await handlers.chat.handle(request, context: context)
            }
            router.post("/openai/deployments/{deployment}/embeddings") { request, context in
                try AzureAPIVersion.require(in: request)
                try Self.requireDeployment(context)
                return try await handlers.embeddings.handle(request, context: context)
            }
            router.post("/openai/responses") { request, context in
                try AzureAPIVersion.require(in: request)
                return try await handlers.responses.handle(request, context: context)
            }
            router.get("/openai/models") { request, context in
                try AzureAPIVersion.require(in: request)
                return try await handlers.models.list(request, context: context)
            }
            router.post("/openai/v1/chat/completions") { request, context in try await handlers.chat.handle(request, context: context) }
            router.post("/openai/v1/embeddings") { request, context in try await handlers.embeddings.handle(request, context: context) }
            router.post("/openai/v1/responses") { request, context in try await handlers.responses.handle(request, context: context) }
            router.get("/openai/v1/models") { request, context in try await handlers.models.list(request, context: context) }
        }
    )

    package static let declaration = CompatibleEmulator.declaration(for: profile)

    /// The Entra audience each URL form takes: Foundry v1 (`/openai/v1/…`) `https://ai.azure.com`,
    /// the resource form `https://cognitiveservices.azure.com` (the scopes Microsoft documents
    /// for each; the emulator holds clients to them, so a wrong scope shows).
    package static func entraAudience(forPath path: String) -> String {
        path.hasPrefix("/openai/v1/") ? "https://ai.azure.com" : "https://cognitiveservices.azure.com"
    }

    /// Azure's 401 for a bearer token that is not a valid Entra token for this resource.
    static func requireEntraToken(_ token: String, path: String) throws(EmulatorError) {
        let audience = Self.entraAudience(forPath: path)
        guard EntraMockTokenAuthority.acceptsAccessToken(token, audiences: [audience]) else {
            throw EmulatorError(
                status: .unauthorized,
                body: [
                    "error": [
                        "code": "401",
                        "message": .string("Unauthorized. Access token is missing, invalid, audience is incorrect (\(audience)), or have expired."),
                    ]
                ]
            )
        }
    }

    static func requireDeployment(_ context: BasicRequestContext) throws(EmulatorError) {
        // A `@scenario` suffix (`gpt-4o@rate-limit`) addresses the deployment it is attached to.
        let name = context.parameters.get("deployment")?.split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
        guard Self.deployments.contains(name) else {
            throw EmulatorError(
                status: .notFound,
                body: [
                    "error": [
                        "code": "DeploymentNotFound",
                        "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
                    ]
                ]
            )
        }
    }
}
