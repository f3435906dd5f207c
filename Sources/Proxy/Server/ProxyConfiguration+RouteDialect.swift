extension ProxyConfiguration {
    /// The dialect a request's errors are written in, from its raw path alone: the provider's when
    /// the path names one, else OpenAI's, the lingua franca of LLM clients. Middleware that refuses
    /// a request before routing uses it, so the client's SDK still parses the refusal.
    package func errorDialect(forRawPath rawPath: String) -> any ProviderDialect {
        ProxyRoute(rawPath: rawPath).flatMap { self.provider(id: $0.providerID) }?.declaration.dialect ?? OpenAIDialect()
    }
}
