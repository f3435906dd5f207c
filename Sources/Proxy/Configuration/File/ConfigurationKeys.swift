/// The settings a configuration file may carry: exactly the variables `archestra serve` reads for
/// itself, by the same names, so one name means one setting in the README, the environment, a
/// Kubernetes ConfigMap and the file.
///
/// A name outside this set is a typo until proven otherwise: the file is refused rather than a
/// setting silently ignored. A test scans the sources for `"ARCHESTRA_…"` literals so that a new
/// variable cannot be forgotten here.
package enum ConfigurationKeys {
    /// The variable naming the file itself; meaningless inside it.
    package static let fileVariable = "ARCHESTRA_CONFIG_FILE"

    /// Settings that are not a provider's (those come from the catalog).
    static let general: Set<String> = [
        "ARCHESTRA_HOST", "ARCHESTRA_PORT", "ARCHESTRA_LOG_LEVEL",
        "ARCHESTRA_DATABASE_URL", "ARCHESTRA_SECRET_KEY", "ARCHESTRA_ADMIN_TOKEN",
        "ARCHESTRA_REQUIRE_CLIENT_AUTH", "ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS", "ARCHESTRA_TRUSTED_PROXIES",
        "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS",
        "ARCHESTRA_API_BODY_LIMIT", "ARCHESTRA_MAX_BUFFERED_REQUEST_BYTES",
        "ARCHESTRA_UPSTREAM_CONNECT_TIMEOUT_SECONDS", "ARCHESTRA_UPSTREAM_READ_TIMEOUT_SECONDS",
        "ARCHESTRA_MAX_REQUEST_DURATION_SECONDS", "ARCHESTRA_MAX_STREAM_EVENT_BYTES",
        "ARCHESTRA_LLM_PROXY_STREAM_KEEPALIVE_INTERVAL_MS", "ARCHESTRA_MAX_CONCURRENT_REQUESTS",
        "ARCHESTRA_MAX_HEADER_BYTES", "ARCHESTRA_MAX_HEADER_COUNT", "ARCHESTRA_MAX_URI_BYTES",
        "ARCHESTRA_CLIENT_HEADER_TIMEOUT_SECONDS", "ARCHESTRA_CLIENT_BODY_TIMEOUT_SECONDS",
        "ARCHESTRA_CLIENT_IDLE_TIMEOUT_SECONDS", "ARCHESTRA_SHUTDOWN_GRACE_SECONDS",
        "ARCHESTRA_UPSTREAM_CA_BUNDLE", "ARCHESTRA_TLS_CERT_FILE", "ARCHESTRA_TLS_KEY_FILE",
        "ARCHESTRA_INTERACTION_RETENTION_DAYS", "ARCHESTRA_INTERACTION_LOG_BODIES",
        "ARCHESTRA_INTERACTION_BODY_LIMIT", "ARCHESTRA_INTERACTION_BUFFER",
        "ARCHESTRA_METRICS_PORT", "ARCHESTRA_METRICS_SECRET",
        "ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT", "ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL",
        "ARCHESTRA_OTEL_SERVICE_NAME", "ARCHESTRA_OTEL_BATCH_DELAY_MS",
        "ARCHESTRA_RECORD_DIR",
        // Provider options read by their authorizers, URL resolvers and model discovery.
        "ARCHESTRA_AZURE_OPENAI_API_VERSION", "ARCHESTRA_AZURE_OPENAI_RESPONSES_API_VERSION",
        "ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED", "ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED",
        "ARCHESTRA_AZURE_AUTHORITY_HOST", "ARCHESTRA_AZURE_IMDS_ENDPOINT",
        "ARCHESTRA_BEDROCK_REGION", "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED", "ARCHESTRA_BEDROCK_CONTROL_PLANE_URL",
        "ARCHESTRA_BEDROCK_ALLOWED_INFERENCE_REGIONS", "ARCHESTRA_BEDROCK_ALLOWED_PROVIDERS",
        "ARCHESTRA_BEDROCK_MODELS_CACHE_TTL_SECONDS", "ARCHESTRA_BEDROCK_MODELS_PAGE_SIZE",
        "ARCHESTRA_GEMINI_VERTEX_AI_ENABLED", "ARCHESTRA_GEMINI_VERTEX_AI_PROJECT",
        "ARCHESTRA_GEMINI_VERTEX_AI_LOCATION", "ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE",
        "ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL",
    ]

    /// Settings whose value is a comma-separated list: the file may write them as a YAML sequence.
    static let lists: Set<String> = [
        "ARCHESTRA_TRUSTED_PROXIES", "ARCHESTRA_BEDROCK_ALLOWED_INFERENCE_REGIONS", "ARCHESTRA_BEDROCK_ALLOWED_PROVIDERS",
    ]

    /// Every name the file accepts: the general settings and each provider's base URL, fallback
    /// key and configured headers.
    package static func known(catalog: ProviderCatalog = .standard) -> Set<String> {
        var names = Self.general
        for declaration in catalog.declarations {
            names.formUnion(declaration.baseURLVariables)
            names.insert(declaration.fallbackAPIKeyVariable)
            names.formUnion(declaration.configuredHeaders.map(\.variable))
        }
        return names
    }

    /// The cloud SDKs' own variables (`AWS_*`, `AZURE_*`, Google's): the platforms inject them
    /// into the environment (EKS, AKS, GKE workload identity) and the credential chains read them
    /// there, so a file is the wrong place and says so.
    static func isCloudSDKVariable(_ name: String) -> Bool {
        ["AWS_", "AZURE_", "GOOGLE_", "GCE_", "CLOUDSDK_", "IDENTITY_"].contains { name.hasPrefix($0) }
    }

    /// The known name closest to a misspelt one, when it is close enough to be the intent.
    static func suggestion(for name: String, among known: Set<String>) -> String? {
        let upper = name.uppercased()
        if known.contains(upper) { return upper }
        let scored = known.map { (name: $0, distance: Self.editDistance(Array(upper.utf8), Array($0.utf8))) }
        guard let best = scored.min(by: { ($0.distance, $0.name) < ($1.distance, $1.name) }), best.distance <= 3 else {
            // A missing prefix: `PORT` for `ARCHESTRA_PORT`.
            return known.contains("ARCHESTRA_" + upper) ? "ARCHESTRA_" + upper : nil
        }
        return best.name
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
