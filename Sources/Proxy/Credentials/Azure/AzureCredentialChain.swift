package import Foundation

/// A `DefaultAzureCredential`-style chain resolved from the environment, first configured source
/// wins (as ``AWSCredentialChain`` does):
///
/// 1. environment: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` (client secret);
/// 2. workload identity: `AZURE_FEDERATED_TOKEN_FILE` + `AZURE_CLIENT_ID` + `AZURE_TENANT_ID`
///    (client assertion);
/// 3. managed identity: App Service (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`), else the instance
///    metadata service at `ARCHESTRA_AZURE_IMDS_ENDPOINT`, else `AZURE_POD_IDENTITY_AUTHORITY_HOST`,
///    else `http://169.254.169.254` (`AZURE_CLIENT_ID` picks a user-assigned identity).
///
/// Entra is at `ARCHESTRA_AZURE_AUTHORITY_HOST`, else `AZURE_AUTHORITY_HOST`, else
/// `https://login.microsoftonline.com`; it must be https (as azure-identity requires) unless it
/// is a loopback address.
package enum AzureCredentialChain {
    package static let defaultAuthorityHost = "https://login.microsoftonline.com"
    package static let defaultInstanceMetadataEndpoint = "http://169.254.169.254"

    package static func source(from environment: ProviderEnvironment) throws(ConfigurationError) -> any AzureTokenSource {
        let caBundle = environment.string("ARCHESTRA_UPSTREAM_CA_BUNDLE")
        let tenantID = environment.string("AZURE_TENANT_ID")
        let clientID = environment.string("AZURE_CLIENT_ID")
        if let secret = environment.secret("AZURE_CLIENT_SECRET") {
            let (tenant, client) = try Self.require(tenantID, clientID, with: "AZURE_CLIENT_SECRET")
            return EntraClientCredentialsTokenSource(
                authorityHost: try Self.authorityHost(environment), tenantID: tenant, clientID: client,
                proof: .clientSecret(secret), caBundle: caBundle
            )
        }
        if environment.string("AZURE_CLIENT_CERTIFICATE_PATH") != nil, environment.string("AZURE_FEDERATED_TOKEN_FILE") == nil {
            throw ConfigurationError(
                variable: "AZURE_CLIENT_CERTIFICATE_PATH",
                problem: "is not supported by this build: use AZURE_CLIENT_SECRET, workload identity or managed identity"
            )
        }
        if let tokenFile = environment.string("AZURE_FEDERATED_TOKEN_FILE") {
            let (tenant, client) = try Self.require(tenantID, clientID, with: "AZURE_FEDERATED_TOKEN_FILE")
            return EntraClientCredentialsTokenSource(
                authorityHost: try Self.authorityHost(environment), tenantID: tenant, clientID: client,
                proof: .federatedTokenFile(tokenFile), caBundle: caBundle
            )
        }
        if let endpoint = try environment.url("IDENTITY_ENDPOINT") {
            guard let header = environment.string("IDENTITY_HEADER") else {
                throw ConfigurationError(variable: "IDENTITY_HEADER", problem: "must be set with IDENTITY_ENDPOINT (App Service managed identity)")
            }
            return AzureManagedIdentityTokenSource(endpoint: .appService(url: endpoint, identityHeader: header), clientID: clientID, caBundle: caBundle)
        }
        var imds = try environment.url("ARCHESTRA_AZURE_IMDS_ENDPOINT")
        if imds == nil { imds = try environment.url("AZURE_POD_IDENTITY_AUTHORITY_HOST") }
        return AzureManagedIdentityTokenSource(
            endpoint: .instanceMetadata(base: imds ?? Self.defaultInstanceMetadataEndpoint), clientID: clientID, caBundle: caBundle
        )
    }

    static func require(_ tenantID: String?, _ clientID: String?, with variable: String) throws(ConfigurationError) -> (String, String) {
        guard let tenantID else { throw ConfigurationError(variable: "AZURE_TENANT_ID", problem: "must be set with \(variable)") }
        guard let clientID else { throw ConfigurationError(variable: "AZURE_CLIENT_ID", problem: "must be set with \(variable)") }
        return (tenantID, clientID)
    }

    static func authorityHost(_ environment: ProviderEnvironment) throws(ConfigurationError) -> String {
        let variable = environment.string("ARCHESTRA_AZURE_AUTHORITY_HOST") != nil ? "ARCHESTRA_AZURE_AUTHORITY_HOST" : "AZURE_AUTHORITY_HOST"
        guard let host = try environment.url(variable) else { return Self.defaultAuthorityHost }
        let components = URLComponents(string: host)
        let isLoopback = ["127.0.0.1", "localhost", "::1"].contains(components?.host?.lowercased() ?? "")
        guard components?.scheme?.lowercased() == "https" || isLoopback else {
            throw ConfigurationError(variable: variable, problem: "must be an https URL (Entra ID is only reachable over TLS)")
        }
        return host
    }
}

/// Tokens from one source, one cache per scope: each refreshed before expiry with one refresh in
/// flight (``ExpiringCredentialCache``).
package actor AzureTokenCache {
    let source: any AzureTokenSource
    let refreshWindow: TimeInterval
    let now: @Sendable () -> Date
    private var caches: [String: ExpiringCredentialCache<AzureAccessToken>] = [:]

    package init(source: any AzureTokenSource, refreshWindow: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.refreshWindow = refreshWindow
        self.now = now
    }

    package nonisolated var sourceName: String { self.source.sourceName }

    package func token(scope: String) async throws(ProxyError) -> AzureAccessToken {
        let cache: ExpiringCredentialCache<AzureAccessToken>
        if let existing = self.caches[scope] {
            cache = existing
        } else {
            let source = self.source
            cache = ExpiringCredentialCache(sourceName: source.sourceName, refreshWindow: self.refreshWindow, now: self.now) { () async throws(ProxyError) -> AzureAccessToken in
                try await source.token(scope: scope)
            }
            self.caches[scope] = cache
        }
        return try await cache.credential()
    }
}
