import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TestSupport

/// A client that, like a proxy, neither follows redirects nor decompresses.
func withRawHTTPClient<Result>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    configuration.decompression = .disabled
    return try await HTTPClient.withHTTPClient(configuration: configuration) { client in try await body(client) }
}

/// The response body as it arrived: each chunk with the time since the request was sent.
struct TimedBody {
    var chunks: [(bytes: [UInt8], elapsed: Duration)] = []
    var bytes: [UInt8] { self.chunks.flatMap(\.bytes) }
}

func send(
    _ client: HTTPClient,
    _ url: String,
    method: HTTPMethod = .POST,
    headers: [(String, String)] = [],
    body: String? = nil
) async throws -> (status: Int, headers: [(String, String)], body: TimedBody) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let clock = ContinuousClock()
    let start = clock.now
    let response = try await client.execute(request, timeout: .seconds(30))
    var timed = TimedBody()
    for try await chunk in response.body {
        timed.chunks.append((Array(chunk.readableBytesView), clock.now - start))
    }
    return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, timed)
}

