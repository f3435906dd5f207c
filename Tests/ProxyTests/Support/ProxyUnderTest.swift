import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Proxy

/// Runs `archestra serve` in-process, in front of `upstreamPort`, for the duration of `body`.
func withProxy<Value: Sendable>(
    upstreamPort: Int,
    environment: [String: String] = [:],
    logger: Logger = Logger(label: "test.proxy", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (_ proxyBaseURL: String) async throws -> Value
) async throws -> Value {
    var environment = environment
    if environment["ARCHESTRA_OPENAI_BASE_URL"] == nil {
        environment["ARCHESTRA_OPENAI_BASE_URL"] = "http://127.0.0.1:\(upstreamPort)/v1"
    }
    let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
    return try await withRunningServices({ reportPort in
        [ProxyService(configuration: configuration, logger: logger, onServerRunning: reportPort)]
    }) { port in
        try await body("http://127.0.0.1:\(port)")
    }
}

/// A client request with the headers an OpenAI SDK sends.
func openAIRequest(_ url: String, json: String, key: String? = "sk-test", headers: [(String, String)] = []) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "content-type", value: "application/json")
    if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(ByteBuffer(string: json))
    return request
}

extension HTTPClientResponse {
    func bodyText(limit: Int = 1 << 20) async throws -> String {
        String(buffer: try await self.body.collect(upTo: limit))
    }
}

/// Every test gets its own client and shuts it down, so no connection outlives its test.
func withTestClient<Value: Sendable>(_ body: (HTTPClient) async throws -> Value) async throws -> Value {
    var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
    configuration.httpVersion = .http1Only
    return try await HTTPClient.withHTTPClient(configuration: configuration) { try await body($0) }
}
