import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Maps whatever the HTTP client threw into the proxy error a client should see.
///
/// Timeouts become 504 and every other failure to get an answer becomes 502. The reason is
/// the client's `shortDescription`-style text, which carries no URL credentials or bodies.
package enum UpstreamFailure {
    package static func proxyError(for error: any Error, provider: String) -> ProxyError {
        if let error = error as? ProxyError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .upstreamTimeout(provider: provider, reason: Self.reason(error))
            default:
                return .upstreamUnreachable(provider: provider, reason: Self.reason(error))
            }
        }
        if error is NIOConnectionError || error is ChannelError || error is IOError {
            return .upstreamUnreachable(provider: provider, reason: "connection failed")
        }
        return .upstreamUnreachable(provider: provider, reason: String(describing: type(of: error)))
    }

    private static func reason(_ error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout: return "connect timeout"
        case .readTimeout: return "read timeout"
        case .deadlineExceeded: return "request deadline exceeded"
        case .tlsHandshakeTimeout: return "TLS handshake timeout"
        case .getConnectionFromPoolTimeout: return "no connection available in time"
        case .remoteConnectionClosed: return "connection closed by upstream"
        case .cancelled: return "request cancelled"
        default: return "HTTP client error"
        }
    }
}
