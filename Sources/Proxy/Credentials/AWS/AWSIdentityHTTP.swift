import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The one way the credential providers call identity endpoints: a bounded request on a
/// process-wide HTTP client, with the failure described without URLs' secrets or bodies.
enum AWSIdentityHTTP {
    struct Answer {
        var status: Int
        var body: String
    }

    /// Largest identity response read; real ones are a few KiB.
    static let maximumBodyBytes = 256 * 1024

    static func send(
        _ method: HTTPMethod,
        url: String,
        headers: [(String, String)] = [],
        body: String? = nil,
        timeout: TimeAmount,
        caBundle: String? = nil,
        source: String
    ) async throws(ProxyError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        do {
            let client = Self.client(trusting: caBundle)
            let response = try await client.execute(request, deadline: .now() + timeout)
            let bytes = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return Answer(status: Int(response.status.code), body: String(buffer: bytes))
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw .upstreamCredentialsUnavailable(source: source, reason: "no answer within \(timeout.nanoseconds / 1_000_000) ms")
        } catch {
            throw .upstreamCredentialsUnavailable(source: source, reason: "the endpoint could not be reached")
        }
    }

    /// One client per CA bundle (none: the system's roots), for the life of the process like
    /// `HTTPClient.shared`, never shut down. Identity endpoints behind a private CA
    /// (`AWS_CA_BUNDLE`) are trusted like upstreams. Connection attempts are not retried: a refused
    /// or untrusted endpoint fails at once instead of being retried until the connect timeout.
    private static let clients = Mutex<[String: HTTPClient]>([:])

    static func client(trusting bundle: String?) -> HTTPClient {
        Self.clients.withLock { clients in
            if let client = clients[bundle ?? ""] { return client }
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2)))
            configuration.connectionPool.retryConnectionEstablishment = false
            if let bundle {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.additionalTrustRoots = [.file(bundle)]
                configuration.tlsConfiguration = tls
            }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[bundle ?? ""] = client
            return client
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Parses AWS's `Expiration` (ISO 8601, with or without fractional seconds).
    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
