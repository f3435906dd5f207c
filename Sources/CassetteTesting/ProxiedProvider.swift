import Foundation
package import Proxy

/// How a provider's recorded upstream traffic maps onto `archestra serve`.
///
/// A cassette holds the paths the upstream saw (`/v1/chat/completions`). The proxy's upstream base
/// URL carries the provider's own base path (`/v1` for OpenAI), so replaying means pointing the
/// base-URL variable at the replay server plus that base path, and sending each request to
/// `/v1/<provider>` plus the recorded path minus the base path.
package struct ProxiedProvider: Sendable {
    package let declaration: ProviderDeclaration
    /// The path of the provider's default base URL, e.g. `/v1`; empty when it has none.
    package let upstreamBasePath: String

    /// Key the test client sends wherever the recording had a redacted credential.
    package static let clientKey = "sk-e2e-client-key-0123456789"
    /// Key the proxy falls back to for recorded requests that carried no credential.
    package static let fallbackKey = "sk-e2e-fallback-key-0123456789"

    package init(id: String) throws(CassetteTestError) {
        guard let declaration = ProviderCatalog.standard.declaration(for: id) else { throw CassetteTestError("the proxy does not serve \(id)") }
        self.declaration = declaration
        let defaultBaseURL = self.declaration.defaultBaseURL.flatMap { URL(string: $0) }
        var basePath = defaultBaseURL?.path ?? ""
        while basePath.hasSuffix("/") { basePath.removeLast() }
        self.upstreamBasePath = Self.recordedBasePaths[id] ?? basePath
    }

    /// Providers without a default base URL, whose captures show where their API root was:
    /// Azure's resource URL ends in `/openai`, a self-hosted vLLM's in `/v1`.
    package static let recordedBasePaths: [String: String] = ["azure": "/openai", "vllm": "/v1"]

    /// Recorded paths that live outside the base path and that the provider's route serves from
    /// the server root: Ollama's native `/api/*` beside its `/v1`.
    package static let rootPathPrefixes: [String: [String]] = ["ollama": ["/api/"]]

    /// The environment that points the proxy at a replay server on `upstreamPort`. When the
    /// recording was signed with SigV4 (`recordedSigV4`), the proxy runs in the provider's IAM
    /// mode with test credentials, so that what it sends upstream is SigV4 too (the matcher checks
    /// the scheme, not the signature).
    package func proxyEnvironment(upstreamPort: Int, recordedSigV4: Bool = false) throws(CassetteTestError) -> [String: String] {
        guard let variable = self.declaration.baseURLVariables.first else { throw CassetteTestError("\(self.declaration.id) has no base-URL variable") }
        var environment = [
            variable: "http://127.0.0.1:\(upstreamPort)\(self.upstreamBasePath)",
            self.declaration.fallbackAPIKeyVariable: Self.fallbackKey,
            "ARCHESTRA_DATABASE_URL": "sqlite::memory:",
            "ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "true",
            // The cassettes hold the client's calls only: the model-list sync must not spend them.
            "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
        ]
        if recordedSigV4, let iam = Self.sigV4Environment[self.declaration.id] {
            environment.merge(iam) { _, new in new }
        }
        return environment
    }

    /// IAM mode per provider that signs with SigV4, with the AWS test suite's example keys.
    package static let sigV4Environment: [String: [String: String]] = [
        "bedrock": [
            "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true", "ARCHESTRA_BEDROCK_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ]
    ]

    /// The proxy path (query included) for a request the upstream saw at `recordedPath`.
    package func proxyPath(forUpstreamPath recordedPath: String) throws(CassetteTestError) -> String {
        let prefix = self.upstreamBasePath
        if let rootPrefixes = Self.rootPathPrefixes[self.declaration.id], rootPrefixes.contains(where: { recordedPath.hasPrefix($0) }) {
            return "/v1/\(self.declaration.id)" + recordedPath
        }
        guard recordedPath.hasPrefix(prefix + "/") || recordedPath.hasPrefix(prefix + "?") else {
            throw CassetteTestError("recorded path \(recordedPath) is not below the provider's base path \(prefix)")
        }
        return "/v1/\(self.declaration.id)" + recordedPath.dropFirst(prefix.count)
    }
}

/// Why a cassette could not be tested at all (as opposed to a difference in what it replayed).
package struct CassetteTestError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
