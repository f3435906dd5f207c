import AsyncHTTPClient
import Foundation
import Gateway
import Logging
import NIOCore
import NIOHTTP1
import Proxy
import TestSupport

/// The profile every proxy under test has besides the default one, for routes that name a profile.
let testProfileID = UUID(uuidString: "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11")!

/// Runs `archestra serve` in-process, in front of `upstreamPort`, for the duration of `body`.
func withProxy<Value: Sendable>(
    upstreamPort: Int,
    environment: [String: String] = [:],
    logger: Logger = Logger(label: "test.proxy", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (_ proxyBaseURL: String) async throws -> Value
) async throws -> Value {
    try await withGatewayProxy(upstreamPort: upstreamPort, environment: environment, logger: logger) { proxy, _ in try await body(proxy) }
}

/// ``withProxy`` that also hands the test the proxy's gateway (its store and directory), to
/// create keys and clients in.
func withGatewayProxy<Value: Sendable>(
    upstreamPort: Int,
    environment: [String: String] = [:],
    logger: Logger = Logger(label: "test.proxy", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (_ proxyBaseURL: String, _ gateway: GatewayRuntime) async throws -> Value
) async throws -> Value {
    var environment = environment
    if environment["ARCHESTRA_OPENAI_BASE_URL"] == nil {
        environment["ARCHESTRA_OPENAI_BASE_URL"] = "http://127.0.0.1:\(upstreamPort)/v1"
    }
    // Nothing on disk, and the keyless upstreams open to anonymous callers as before the gateway
    // existed, unless a test says otherwise (the gateway's own suites do).
    environment["ARCHESTRA_DATABASE_URL"] = environment["ARCHESTRA_DATABASE_URL"] ?? "sqlite::memory:"
    environment["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] = environment["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] ?? "true"
    // The model-list sync calls upstreams in the background; tests that count what reaches their
    // stand-in upstream must not see it, so it runs only where a test asks for it.
    environment["ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS"] = environment["ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS"] ?? "0"
    let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
    let gateway = try await GatewayRuntime.open(configuration: configuration, logger: logger)
    _ = try await gateway.store.createProfile(ProfileDraft(id: testProfileID, name: "test profile", kind: .profile))
    return try await withRunningServices({ reportPort in
        [ProxyService(configuration: configuration, gateway: gateway, logger: logger, onServerRunning: reportPort)]
    }) { port in
        try await body("http://127.0.0.1:\(port)", gateway)
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
