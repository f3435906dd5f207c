import WireFormats

/// The standard AWS credential chain, in the standard order, resolved from the environment:
///
/// 1. environment: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 2. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` → STS
///    (`AWS_ENDPOINT_URL_STS`, else `https://sts.<AWS_REGION>.amazonaws.com`);
/// 3. container: `AWS_CONTAINER_CREDENTIALS_FULL_URI` or `_RELATIVE_URI`, with
///    `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` / `_TOKEN`;
/// 4. EC2 instance metadata, IMDSv2 (`AWS_EC2_METADATA_SERVICE_ENDPOINT`), unless
///    `AWS_EC2_METADATA_DISABLED=true`.
///
/// The first source whose variables are set is the one used, as the SDKs do; instance metadata
/// is the fallback because it needs no variables. The container and instance-metadata endpoints
/// get `AWS_METADATA_SERVICE_TIMEOUT` seconds to answer (botocore's variable; 2 s by default).
package enum AWSCredentialChain {
    package static func provider(from environment: ProviderEnvironment) throws(ConfigurationError) -> any AWSCredentialProvider {
        let caBundle = environment.string("ARCHESTRA_UPSTREAM_CA_BUNDLE") ?? environment.string("AWS_CA_BUNDLE")
        let metadataTimeout = Duration.seconds(try environment.integer("AWS_METADATA_SERVICE_TIMEOUT", in: 1...60) ?? 2)
        if let accessKeyID = environment.string("AWS_ACCESS_KEY_ID") {
            guard let secret = environment.string("AWS_SECRET_ACCESS_KEY") else {
                throw ConfigurationError(variable: "AWS_SECRET_ACCESS_KEY", problem: "must be set with AWS_ACCESS_KEY_ID")
            }
            return AWSEnvironmentCredentialProvider(
                credentials: SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: environment.string("AWS_SESSION_TOKEN"))
            )
        }
        if let tokenFile = environment.string("AWS_WEB_IDENTITY_TOKEN_FILE") {
            guard let roleARN = environment.string("AWS_ROLE_ARN") else {
                throw ConfigurationError(variable: "AWS_ROLE_ARN", problem: "must be set with AWS_WEB_IDENTITY_TOKEN_FILE")
            }
            let region = environment.string("AWS_REGION") ?? environment.string("AWS_DEFAULT_REGION") ?? "us-east-1"
            let endpoint = try environment.url("AWS_ENDPOINT_URL_STS") ?? "https://sts.\(region).amazonaws.com"
            return AWSWebIdentityCredentialProvider(
                tokenFile: tokenFile, roleARN: roleARN,
                sessionName: environment.string("AWS_ROLE_SESSION_NAME") ?? "archestra-proxy",
                stsEndpoint: endpoint, caBundle: caBundle
            )
        }
        if let fullURI = try environment.url("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            return AWSContainerCredentialProvider(
                url: fullURI, authorizationToken: environment.string("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                authorizationTokenFile: environment.string("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), timeout: metadataTimeout, caBundle: caBundle
            )
        }
        if let relativeURI = environment.string("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return AWSContainerCredentialProvider(
                url: "http://169.254.170.2" + (relativeURI.hasPrefix("/") ? relativeURI : "/" + relativeURI),
                authorizationToken: environment.string("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                authorizationTokenFile: environment.string("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), timeout: metadataTimeout, caBundle: caBundle
            )
        }
        if try environment.flag("AWS_EC2_METADATA_DISABLED") {
            throw ConfigurationError(
                variable: "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED",
                problem: "is true but no AWS credential source is configured (environment, web identity, container) and instance metadata is disabled"
            )
        }
        return AWSInstanceMetadataCredentialProvider(
            endpoint: try environment.url("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? "http://169.254.169.254", timeout: metadataTimeout, caBundle: caBundle
        )
    }
}

extension ProviderEnvironment {
    /// An environment from plain values, for building a chain outside ``ProxyConfiguration``.
    package init(values: [String: String], baseURL: String?) {
        self.init(reader: EnvironmentReader(values), baseURL: baseURL)
    }
}
