extension ProviderDeclaration {
    /// The Gemini API (AI Studio): `/v1beta/...` and `/v1/...` paths unchanged. The key comes in
    /// `x-goog-api-key` or as `?key=` (which stays in the forwarded query and is never logged:
    /// the request log records the path alone); the fallback key goes as `x-goog-api-key`.
    ///
    /// With `ARCHESTRA_GEMINI_VERTEX_AI_ENABLED=true` the same routes go to Vertex AI
    /// (``VertexAIURLResolver``) with a bearer token from Application Default Credentials
    /// (``GoogleOAuthAuthorizer``); clients then need no key. See `docs/keyless-google.md`.
    package static let gemini = ProviderDeclaration(
        id: "gemini",
        dialect: GeminiDialect(),
        defaultBaseURL: "https://generativelanguage.googleapis.com",
        baseURLVariables: ["ARCHESTRA_GEMINI_BASE_URL"],
        fallbackAPIKeyVariable: "ARCHESTRA_CHAT_GEMINI_API_KEY",
        clientCredentials: [.header("x-goog-api-key"), .query("key")],
        upstreamAuth: .header("x-goog-api-key"),
        upstreamURL: GeminiURLResolver(),
        makeAuthorizer: { environment throws(ConfigurationError) in
            guard try environment.flag(VertexAIURLResolver.enabledVariable) else { return nil }
            return GoogleOAuthAuthorizer(provider: try GoogleApplicationDefaultCredentials.provider(from: environment))
        },
        modelRouter: .gemini
    )
}
