import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// `archestra healthcheck`: one `GET /healthz` against the proxy this configuration describes, for
/// container runtimes (Docker's `HEALTHCHECK`) whose slim images have no curl.
///
/// It reads the same file, variables and flags as `serve`, so it probes the address `serve`
/// listens on without being told twice.
package enum HealthProbe {
    /// Why the probe failed, in one line for the health log (never a configuration value).
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// The URL of `/healthz` on the proxy: a wildcard listen address is probed on loopback, and
    /// HTTPS when the proxy serves it.
    package static func url(for configuration: ProxyConfiguration) -> String {
        let host: String
        switch configuration.host {
        case "0.0.0.0", "": host = "127.0.0.1"
        case "::", "[::]": host = "[::1]"
        case let literal where literal.contains(":") && !literal.hasPrefix("["): host = "[\(literal)]"
        case let name: host = name
        }
        let scheme = configuration.tlsCertificateFile == nil ? "http" : "https"
        return "\(scheme)://\(host):\(configuration.port)/healthz"
    }

    /// Succeeds when `/healthz` answers 200 within `timeout`.
    ///
    /// HTTPS is probed without verifying the certificate: the probe runs beside the process it
    /// checks, often against a certificate issued for a public name rather than for loopback, and it
    /// sends nothing secret.
    package static func check(_ configuration: ProxyConfiguration, timeout: Duration) async throws(Failure) {
        let url = Self.url(for: configuration)
        var clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2)))
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        if configuration.tlsCertificateFile != nil {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            clientConfiguration.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        let status: Result<UInt, Failure>
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            _ = try await response.body.collect(upTo: 1 << 16)
            status = .success(response.status.code)
        } catch {
            status = .failure(Failure(description: "\(url) did not answer: \(String(describing: type(of: error)))"))
        }
        try? await client.shutdown()
        let code = try status.get()
        guard code == 200 else { throw Failure(description: "\(url) answered \(code)") }
    }
}
