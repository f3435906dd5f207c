package import AsyncHTTPClient
package import Foundation
import NIOCore
import NIOHTTP1
import Proxy
package import Recorder
import TestSupport

/// A request the test client sends: to the recorder, or, mapped by ``ProxiedProvider``, to the proxy.
package struct ClientRequest: Sendable {
    package var method: String
    /// The path (and query) the upstream sees, e.g. `/v1/chat/completions`.
    package var path: String
    package var headers: [CassetteHeader]
    package var body: Data?

    /// Headers that describe one connection, or that the HTTP client recomputes for the body it sends.
    private static let connectionHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization", "host", "content-length",
    ]

    package init(method: String, path: String, headers: [CassetteHeader] = [], body: String? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body.map { Data($0.utf8) }
    }

    /// The recorded request as a client sends it again: same method, path and body bytes, the
    /// recorded headers minus per-connection ones, and a test key wherever a credential was
    /// redacted (the proxy forwards the client's key; replay checks only its presence and scheme).
    package init(replaying recorded: CassetteRequest) {
        self.method = recorded.method
        self.path = recorded.path
        self.headers = recorded.headers.compactMap { header in
            guard !Self.connectionHeaders.contains(header.name.lowercased()) else { return nil }
            return CassetteHeader(header.name, header.value.replacingOccurrences(of: "<redacted>", with: ProxiedProvider.clientKey))
        }
        self.body = recorded.body.flatMap { $0.isEmpty ? nil : $0.bytes }
    }
}

/// Sends ``ClientRequest``s to one server and collects each whole response.
package struct TestClient: Sendable {
    package let client: HTTPClient
    package let baseURL: String
    /// Maps an upstream path to the path on this server (the identity for the recorder).
    package let mapPath: @Sendable (String) throws -> String

    package static let maximumBodyBytes = 64 * 1024 * 1024

    package init(client: HTTPClient, baseURL: String, mapPath: @escaping @Sendable (String) throws -> String) {
        self.client = client
        self.baseURL = baseURL
        self.mapPath = mapPath
    }

    package func send(_ request: ClientRequest) async throws -> ObservedResponse {
        var outgoing = HTTPClientRequest(url: self.baseURL + (try self.mapPath(request.path)))
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await self.client.execute(outgoing, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
        return ObservedResponse(
            status: Int(response.status.code),
            headers: response.headers.map { CassetteHeader($0.name, $0.value) },
            body: Data(body.readableBytesView)
        )
    }
}

/// A client that, like an SDK pointed at a proxy, neither follows redirects nor decompresses,
/// so gzip bodies arrive as the bytes on the wire.
package func withRawHTTPClient<Value: Sendable>(_ body: (HTTPClient) async throws -> Value) async throws -> Value {
    var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
    configuration.httpVersion = .http1Only
    return try await HTTPClient.withHTTPClient(configuration: configuration) { try await body($0) }
}

/// Serves `cassettes` from a replay server (instant timing, credential headers checked) and runs
/// `archestra serve` in-process in front of it, pointed there by the provider's base-URL
/// variable, for the duration of `body`. Returns the body's value and the interactions the
/// replay server never played.
package func withProxyInFrontOfReplay<Value: Sendable>(
    cassettes: [Cassette],
    provider: ProxiedProvider,
    _ body: (_ proxy: TestClient) async throws -> Value
) async throws -> (value: Value, unplayed: [CassetteUnplayedInteraction]) {
    try await withRunningService({ reportPort in
        CassetteReplayServer(
            cassettes: cassettes,
            host: "127.0.0.1",
            port: 0,
            timing: .instant,
            matcher: CassetteTestRunner.matcher,
            logger: quietLogger,
            onServerRunning: reportPort
        )
    }) { replayPort, replayServer in
        let configuration = try ProxyConfiguration(
            environment: try provider.proxyEnvironment(upstreamPort: replayPort, recordedSigV4: cassettes.contains(where: \.recordsSigV4)),
            host: "127.0.0.1",
            port: 0
        )
        let value = try await withRunningService({ reportPort in
            ProxyService(configuration: configuration, logger: quietLogger, onServerRunning: reportPort)
        }) { proxyPort, _ in
            try await withRawHTTPClient { client in
                try await body(TestClient(client: client, baseURL: "http://127.0.0.1:\(proxyPort)", mapPath: { try provider.proxyPath(forUpstreamPath: $0) }))
            }
        }
        return (value, await replayServer.unplayedReport())
    }
}

extension Cassette {
    /// Whether any recorded upstream request was signed with AWS SigV4.
    package var recordsSigV4: Bool {
        self.interactions.contains { interaction in
            interaction.request.headers.contains { $0.name.lowercased() == "authorization" && $0.value.hasPrefix("AWS4-HMAC-SHA256") }
        }
    }
}
