import AsyncHTTPClient
import NIOCore
import NIOPosix
import Proxy
import Testing

struct UpstreamFailureTests {
    @Test("timeouts become 504", arguments: [HTTPClientError.connectTimeout, .readTimeout, .deadlineExceeded, .tlsHandshakeTimeout])
    func timeouts(error: HTTPClientError) {
        let mapped = UpstreamFailure.proxyError(for: error, provider: "openai")
        #expect(mapped.status == .gatewayTimeout)
        #expect(mapped.code == .upstreamTimeout)
    }

    @Test("other transport failures become 502", arguments: [HTTPClientError.remoteConnectionClosed, .cancelled, .invalidURL])
    func unreachable(error: HTTPClientError) {
        #expect(UpstreamFailure.proxyError(for: error, provider: "openai").status == .badGateway)
    }

    @Test("socket errors become 502")
    func socketErrors() {
        #expect(UpstreamFailure.proxyError(for: ChannelError.ioOnClosedChannel, provider: "openai").status == .badGateway)
        #expect(UpstreamFailure.proxyError(for: IOError(errnoCode: 111, reason: "connect"), provider: "openai").status == .badGateway)
    }

    @Test("a ProxyError passes through unchanged")
    func proxyErrorPassesThrough() {
        let error = ProxyError.bodyTooLarge(limit: 10)
        #expect(UpstreamFailure.proxyError(for: error, provider: "openai") == error)
    }
}
