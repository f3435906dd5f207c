import AsyncHTTPClient
import Foundation
import NIOCore
package import NIOHTTP1
import NIOSSL

/// The one way the credential sources (AWS, Azure, Google) call identity endpoints: bounded
/// requests on an HTTP client that lives for one scope, with failures described without URLs'
/// secrets or bodies.
///
/// Ownership: ``withClient(trusting:_:)`` creates the client, hands it to the body and shuts it
/// down when the body returns, so no client outlives the refresh that needed it. A refresh is
/// rare (credentials last for hours) and all its requests share the scope, so the cost is one
/// connection per refresh; in exchange no process-wide client is left that nobody shuts down.
package struct IdentityHTTPClient: Sendable {
    /// An identity endpoint's answer, whatever its status.
    package struct Answer: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: String
    }

    /// Why a request got no answer.
    package enum Failure: Error, Sendable {
        case timedOut(after: Duration)
        /// Refused, unresolvable, untrusted TLS; `detail` is the error in a few words, without URLs.
        case unreachable(detail: String)

        /// The reason in a few words.
        package var reason: String {
            switch self {
            case .timedOut(let after):
                let components = after.components
                return "no answer within \(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) ms"
            case .unreachable:
                return "the endpoint could not be reached"
            }
        }

        /// ``reason`` with the connection error's description, for sources whose diagnostics
        /// name it (Entra ID: an untrusted private CA is a common misconfiguration).
        package var detailedReason: String {
            guard case .unreachable(let detail) = self else { return self.reason }
            return "\(self.reason) (\(detail))"
        }
    }

    /// Largest identity response read; real ones are a few KiB.
    static let maximumBodyBytes = 256 * 1024

    let client: HTTPClient

    /// Runs `body` with a client that trusts `caBundle` besides the system's roots (identity
    /// endpoints behind a private CA are trusted like upstreams), and shuts the client down when
    /// `body` returns or throws. Connection attempts are not retried: a refused or untrusted
    /// endpoint fails at once instead of being retried until the connect timeout.
    package static func withClient<Result, Failure: Error>(
        trusting caBundle: String?,
        _ body: (IdentityHTTPClient) async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2)))
        configuration.connectionPool.retryConnectionEstablishment = false
        if let caBundle {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(caBundle)]
            configuration.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Swift.Result<Result, Failure>
        do {
            outcome = .success(try await body(IdentityHTTPClient(client: client)))
        } catch {
            outcome = .failure(error)
        }
        // Shutdown fails only when already shut down, which this scope never does.
        try? await client.shutdown()
        return try outcome.get()
    }

    /// Sends one request and reads the answer, bounded by `timeout` and ``maximumBodyBytes``.
    /// Throws ``Failure`` when there is no answer; any status is an answer.
    package func send(
        _ method: HTTPMethod,
        url: String,
        headers: [(String, String)] = [],
        body: String? = nil,
        timeout: Duration
    ) async throws(Failure) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let components = timeout.components
        let amount = TimeAmount.nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
        do {
            let response = try await self.client.execute(request, deadline: .now() + amount)
            let bytes = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw .timedOut(after: timeout)
        } catch {
            let text = String(describing: error)
            throw .unreachable(detail: text.count > 160 ? String(text.prefix(160)) + "…" : text)
        }
    }

    /// `application/x-www-form-urlencoded` (also a URL query): every character but ASCII letters,
    /// digits and `-._~` percent-encoded, names and values alike.
    package static func formEncoded(_ fields: [(String, String)]) -> String {
        fields.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// `text` with every character but ASCII letters, digits and `-._~` percent-encoded.
    package static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
