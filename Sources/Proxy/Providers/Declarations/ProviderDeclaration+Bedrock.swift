import Foundation

extension ProviderDeclaration {
    /// AWS Bedrock Runtime: Converse and ConverseStream.
    ///
    /// Routes: `/v1/bedrock[/<profile-id>]/converse[-stream]` (model id in the body) and boto3's
    /// `/model/<modelId>/converse[-stream]`. No default base URL: `ARCHESTRA_BEDROCK_BASE_URL` is
    /// required. Two auth modes: an API key (the client's bearer key, else
    /// `ARCHESTRA_CHAT_BEDROCK_API_KEY`), or with `ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED=true`
    /// SigV4 signing with credentials from the AWS credential chain (``AWSCredentialChain``).
    package static let bedrock: ProviderDeclaration = ProviderDeclaration(
        id: "bedrock",
        dialect: BedrockDialect(),
        defaultBaseURL: nil,
        baseURLVariables: ["ARCHESTRA_BEDROCK_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_BEDROCK_API_KEY",
        upstreamURL: BedrockURLResolver(),
        makeAuthorizer: { environment throws(ConfigurationError) in try makeBedrockAuthorizer(environment) },
        makeLocalEndpoints: { environment throws(ConfigurationError) in
            let ttl = try environment.integer("ARCHESTRA_BEDROCK_MODELS_CACHE_TTL_SECONDS", in: 0...86400) ?? 300
            return [
                BedrockModelsEndpoint(
                    controlPlaneURL: try BedrockModelsEndpoint.controlPlaneURL(environment),
                    authorizer: try makeBedrockAuthorizer(environment),
                    filter: BedrockInferenceProfileFilter(environment: environment),
                    pageSize: try environment.integer("ARCHESTRA_BEDROCK_MODELS_PAGE_SIZE", in: 1...1000) ?? 100,
                    ttl: TimeInterval(ttl)
                )
            ]
        },
        modelRouter: .bedrock
    )

    /// API-key mode unless `ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED=true`. Each call builds its own
    /// credential cache; the runtime routes and the model list each hold one.
    private static func makeBedrockAuthorizer(_ environment: ProviderEnvironment) throws(ConfigurationError) -> any UpstreamAuthorizer {
        guard try environment.flag("ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED") else {
            return BedrockAPIKeyAuthorizer(
                keys: StaticKeyAuthorizer(declaration: .bedrock)
            )
        }
        let region = try BedrockRegion.resolve(environment)
        let provider = try AWSCredentialChain.provider(from: environment)
        return SigV4Authorizer(service: "bedrock", region: region, credentials: AWSCredentialCache(provider: provider))
    }
}

/// The signing region: `ARCHESTRA_BEDROCK_REGION`, else the region in the base URL's host
/// (`bedrock-runtime.<region>.amazonaws.com`, also `-fips`).
package enum BedrockRegion {
    static func resolve(_ environment: ProviderEnvironment) throws(ConfigurationError) -> String {
        if let region = environment.string("ARCHESTRA_BEDROCK_REGION") { return region }
        if let region = environment.baseURL.flatMap(Self.region(inBaseURL:)) { return region }
        throw ConfigurationError(
            variable: "ARCHESTRA_BEDROCK_REGION",
            problem: "must be set: the region cannot be read from ARCHESTRA_BEDROCK_BASE_URL"
        )
    }

    package static func region(inBaseURL url: String) -> String? {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 4, labels[0].hasPrefix("bedrock"), labels[labels.count - 2] == "amazonaws" || labels[labels.count - 2] == "com" else {
            return nil
        }
        return labels[1]
    }
}
