/// Where one running emulator listens, as reported to `onReady` once its listener is bound.
package struct EmulatorEndpoint: Sendable, Hashable {
    /// The provider id, e.g. `openai`.
    package let provider: String
    package let host: String
    /// The bound port (the real one, also when the emulator was asked for port 0).
    package let port: Int
    /// The base URL an SDK is given, including the provider's base path, e.g. `http://127.0.0.1:9100/v1`.
    package var baseURL: String
    /// A key the emulator accepts.
    package let apiKey: String

    package init(provider: String, host: String, port: Int, basePath: String, apiKey: String, scheme: String = "http") {
        self.provider = provider
        self.host = host
        self.port = port
        // IPv6 literals need brackets in a URL.
        let urlHost = host.contains(":") ? "[\(host)]" : host
        self.baseURL = "\(scheme)://\(urlHost):\(port)\(basePath)"
        self.apiKey = apiKey
    }
}
