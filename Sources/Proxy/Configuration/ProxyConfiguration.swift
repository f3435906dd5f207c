import Foundation
import Gateway
package import WireFormats

/// Everything `archestra serve` reads from flags and the environment, resolved once at start-up.
///
/// Precedence is flag, then environment variable, then default. Base URLs are validated here so
/// that a misconfiguration fails the start, not the first request.
package struct ProxyConfiguration: Sendable {
    package var host: String
    package var port: Int
    /// Largest request body accepted (`ARCHESTRA_API_BODY_LIMIT`, default 50 MB).
    package var bodyLimitBytes: Int
    /// Bytes of request bodies held in memory across all requests at once
    /// (`ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES`, default 512 MiB, at least the body limit).
    package var maximumBufferedRequestBytes: Int
    /// Time allowed to open a connection upstream (`ARCHESTRA_UPSTREAM_CONNECT_TIMEOUT_SECONDS`, default 10).
    package var upstreamConnectTimeout: Duration
    /// Longest silence tolerated from an upstream, before its head or between stream frames
    /// (`ARCHESTRA_UPSTREAM_READ_TIMEOUT_SECONDS`, default 600, as the OpenAI SDK's own timeout).
    package var upstreamReadTimeout: Duration
    /// Longest a single request, stream included, may last (`ARCHESTRA_MAX_REQUEST_DURATION_SECONDS`, default 3600).
    package var maximumRequestDuration: Duration
    /// How often the model router's model lists are synced from each provider
    /// (`ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS`, default an hour); a new key is listed at once.
    /// `nil` (the variable set to 0): no sync, for a proxy in front of a replay server whose
    /// cassettes hold only the client's calls.
    package var modelListSyncInterval: Duration?
    /// How long SIGTERM waits for in-flight requests before cancelling them (`ARCHESTRA_SHUTDOWN_GRACE_SECONDS`, default 30).
    package var shutdownGracePeriod: Duration
    /// Largest single stream event relayed (`ARCHESTRA_MAX_STREAM_EVENT_BYTES`, default 16 MB).
    package var maximumStreamEventBytes: Int
    /// How often a stream whose tool calls are held for the tool policies gets an SSE comment,
    /// so that clients with stall watchdogs stay (`ARCHESTRA_LLM_PROXY_STREAM_KEEPALIVE_INTERVAL_MS`,
    /// default 10000; Archestra #7810).
    package var streamKeepAliveInterval: Duration
    /// Most proxied requests in flight at once, streams counted until they end
    /// (`ARCHESTRA_MAX_CONCURRENT_REQUESTS`, default 10000); beyond it the proxy answers 503.
    package var maximumConcurrentRequests: Int
    /// Bounds on the request target and headers a client may send (`ARCHESTRA_MAX_HEADER_BYTES`,
    /// `ARCHESTRA_MAX_HEADER_COUNT`, `ARCHESTRA_MAX_URI_BYTES`).
    package var requestHeadLimits: RequestHeadLimits
    /// Header-read, body-read and idle timeouts on client connections (`ARCHESTRA_CLIENT_*_TIMEOUT_SECONDS`).
    package var clientTimeouts: ClientTimeouts
    package var providers: [ResolvedProvider]
    /// A PEM file of extra CA certificates the proxy trusts for upstream HTTPS, besides the
    /// system's (`ARCHESTRA_UPSTREAM_CA_BUNDLE`, else `AWS_CA_BUNDLE` as the AWS SDKs honour it).
    package var upstreamCABundle: String?
    /// Serve HTTPS with this certificate chain and key (`ARCHESTRA_TLS_CERT_FILE`,
    /// `ARCHESTRA_TLS_KEY_FILE`, PEM; both or neither). SDKs that send keys only over HTTPS (boto3
    /// with a Bedrock API key) need it when they talk to the proxy directly.
    package var tlsCertificateFile: String?
    package var tlsKeyFile: String?
    /// Where the gateway's state lives (`ARCHESTRA_DATABASE_URL`, default
    /// `sqlite://archestra.sqlite` in the working directory; `sqlite::memory:` keeps nothing).
    package var databaseURL: String
    /// Accept only gateway credentials (virtual keys, OAuth tokens): no raw provider key
    /// pass-through and no fallback to the primary key (`ARCHESTRA_REQUIRE_CLIENT_AUTH`).
    package var requireClientAuthentication: Bool
    /// Let requests without a gateway credential use keyless upstreams (cloud IAM, Ollama, vLLM)
    /// (`ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS`): safe on a laptop, unsafe anywhere reachable.
    package var keylessAllowsAnonymous: Bool
    /// Load balancers whose `X-Forwarded-For` is believed (`ARCHESTRA_TRUSTED_PROXIES`).
    package var trustedProxies: Set<String>
    /// The admin API's bearer token (`ARCHESTRA_ADMIN_TOKEN`); when unset, one is generated at
    /// first start beside the database.
    package var adminToken: Secret?
    /// The interaction log's bodies, retention and buffer (`ARCHESTRA_INTERACTION_*`).
    package var interactionLog: InteractionLogSettings
    /// Prometheus metrics and OpenTelemetry traces (docs/observability.md).
    package var observability: ObservabilityConfiguration
    /// The environment, for the parts of the gateway that read their own variables (the secret
    /// key of the store).
    package var environment: [String: String]

    package init(
        environment: [String: String],
        host: String? = nil,
        port: Int? = nil,
        catalog: ProviderCatalog = .standard
    ) throws(ConfigurationError) {
        let reader = EnvironmentReader(environment)
        self.host = host ?? reader.string("ARCHESTRA_HOST") ?? "127.0.0.1"
        let environmentPort = try reader.integer("ARCHESTRA_PORT", in: 0...65535)
        self.port = port ?? environmentPort ?? 9000
        self.bodyLimitBytes = try reader.byteCount("ARCHESTRA_API_BODY_LIMIT") ?? 50 * 1024 * 1024
        self.maximumBufferedRequestBytes = try reader.byteCount("ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES") ?? max(512 * 1024 * 1024, self.bodyLimitBytes)
        guard self.maximumBufferedRequestBytes >= self.bodyLimitBytes else {
            throw ConfigurationError(
                variable: "ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES",
                problem: "must be at least ARCHESTRA_API_BODY_LIMIT (\(self.bodyLimitBytes) bytes), or no body of the largest size could ever be read")
        }
        self.upstreamConnectTimeout = .seconds(try reader.integer("ARCHESTRA_UPSTREAM_CONNECT_TIMEOUT_SECONDS", in: 1...600) ?? 10)
        self.upstreamReadTimeout = .seconds(try reader.integer("ARCHESTRA_UPSTREAM_READ_TIMEOUT_SECONDS", in: 1...86400) ?? 600)
        self.maximumRequestDuration = .seconds(try reader.integer("ARCHESTRA_MAX_REQUEST_DURATION_SECONDS", in: 1...86400) ?? 3600)
        let syncSeconds = try reader.integer("ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS", in: 0...604_800) ?? 3600
        guard syncSeconds == 0 || syncSeconds >= 10 else {
            throw ConfigurationError(variable: "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS", problem: "must be 0 (no sync) or at least 10 seconds")
        }
        self.modelListSyncInterval = syncSeconds == 0 ? nil : .seconds(syncSeconds)
        self.shutdownGracePeriod = .seconds(try reader.integer("ARCHESTRA_SHUTDOWN_GRACE_SECONDS", in: 0...3600) ?? 30)
        self.maximumStreamEventBytes = try reader.byteCount("ARCHESTRA_MAX_STREAM_EVENT_BYTES") ?? 16 * 1024 * 1024
        self.streamKeepAliveInterval = .milliseconds(try reader.integer("ARCHESTRA_LLM_PROXY_STREAM_KEEPALIVE_INTERVAL_MS", in: 10...600_000) ?? 10_000)
        self.maximumConcurrentRequests = try reader.integer("ARCHESTRA_MAX_CONCURRENT_REQUESTS", in: 1...1_000_000) ?? 10_000
        self.requestHeadLimits = try RequestHeadLimits(reader: reader)
        self.clientTimeouts = try ClientTimeouts(reader: reader)
        self.upstreamCABundle = reader.string("ARCHESTRA_UPSTREAM_CA_BUNDLE") ?? reader.string("AWS_CA_BUNDLE")
        if let bundle = self.upstreamCABundle, !FileManager.default.isReadableFile(atPath: bundle) {
            throw ConfigurationError(variable: reader.string("ARCHESTRA_UPSTREAM_CA_BUNDLE") == nil ? "AWS_CA_BUNDLE" : "ARCHESTRA_UPSTREAM_CA_BUNDLE", problem: "must name a readable PEM file")
        }
        self.tlsCertificateFile = reader.string("ARCHESTRA_TLS_CERT_FILE")
        self.tlsKeyFile = reader.string("ARCHESTRA_TLS_KEY_FILE")
        if (self.tlsCertificateFile == nil) != (self.tlsKeyFile == nil) {
            throw ConfigurationError(variable: self.tlsCertificateFile == nil ? "ARCHESTRA_TLS_CERT_FILE" : "ARCHESTRA_TLS_KEY_FILE", problem: "must be set together with its pair")
        }
        self.databaseURL = reader.string("ARCHESTRA_DATABASE_URL") ?? "sqlite://archestra.sqlite"
        self.requireClientAuthentication = try reader.flag("ARCHESTRA_REQUIRE_CLIENT_AUTH")
        self.keylessAllowsAnonymous = try reader.flag("ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS")
        self.trustedProxies = ClientAddressResolver(trustedProxiesVariable: reader.string("ARCHESTRA_TRUSTED_PROXIES")).trustedProxies
        self.adminToken = reader.string("ARCHESTRA_ADMIN_TOKEN").map(Secret.init)
        self.interactionLog = try InteractionLogSettings(reader: reader)
        self.observability = try ObservabilityConfiguration(reader: reader, host: self.host, proxyPort: self.port)
        self.environment = environment
        self.providers = try catalog.declarations.map { declaration throws(ConfigurationError) in
            try ResolvedProvider(declaration: declaration, reader: reader)
        }
    }

    package func provider(id: some StringProtocol) -> ResolvedProvider? {
        self.providers.first { $0.declaration.id == id }
    }
}

/// A provider declaration with the environment applied.
package struct ResolvedProvider: Sendable {
    package let declaration: ProviderDeclaration
    /// `nil` when the provider has no default and no variable set: its routes then answer
    /// ``ProxyError/providerNotConfigured(provider:variable:)``.
    package let baseURL: String?
    /// Puts the credential on each upstream request.
    package let authorizer: any UpstreamAuthorizer
    /// ``ProviderDeclaration/configuredHeaders`` whose variables are set.
    package let configuredHeaders: [(name: String, value: String)]
    /// The declaration's URL resolver with the environment applied.
    package let upstreamURL: any UpstreamURLResolver
    /// Routes answered by the proxy itself (``ProviderDeclaration/makeLocalEndpoints``).
    package let localEndpoints: [any LocalEndpoint]
    /// `ARCHESTRA_CHAT_<PROVIDER>_API_KEY`: seeds the provider's primary key in the store at start.
    package let seedAPIKey: Secret?

    init(declaration: ProviderDeclaration, reader: EnvironmentReader) throws(ConfigurationError) {
        self.declaration = declaration
        if let variable = declaration.baseURLVariables.first(where: { reader.string($0) != nil }),
            let value = reader.string(variable)
        {
            self.baseURL = try Self.validatedBaseURL(value, variable: variable)
        } else {
            self.baseURL = declaration.defaultBaseURL
        }
        let environment = ProviderEnvironment(reader: reader, baseURL: self.baseURL)
        self.upstreamURL = try declaration.upstreamURL.configured(with: environment)
        let custom = try declaration.makeAuthorizer?(environment)
        self.authorizer = custom ?? StaticKeyAuthorizer(declaration: declaration)
        self.seedAPIKey = reader.string(declaration.fallbackAPIKeyVariable).map(Secret.init)
        self.localEndpoints = try declaration.makeLocalEndpoints?(environment) ?? []
        self.configuredHeaders = declaration.configuredHeaders.compactMap { header in
            reader.string(header.variable).map { (name: header.name, value: $0) }
        }
    }

    /// An admin-configured URL must be absolute http(s) with a host; a trailing `/` is dropped so
    /// that joining with a native path never doubles it.
    package static func validatedBaseURL(_ value: String, variable: String) throws(ConfigurationError) -> String {
        guard let url = UpstreamBaseURL.validated(value) else {
            throw ConfigurationError(variable: variable, problem: UpstreamBaseURL.rule)
        }
        return url
    }
}

/// Printing a configuration (a service group logs its services at debug level, a failed test
/// prints its values) must never print a key: it holds seed keys, the admin token and the
/// environment they came from. Only the listen address shows.
extension ProxyConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "ProxyConfiguration(\(self.host):\(self.port), \(self.providers.count) providers)" }
    package var debugDescription: String { self.description }
    package var customMirror: Mirror { Mirror(self, children: ["host": self.host, "port": self.port], displayStyle: .struct) }
}
