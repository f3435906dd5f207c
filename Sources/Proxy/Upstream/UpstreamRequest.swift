package import AsyncHTTPClient
import HTTPTypes
package import NIOCore
package import NIOHTTP1

/// The request the proxy is about to send upstream, before it becomes an HTTP client request.
///
/// Authorizers see (and may change) it whole: a signer such as SigV4 needs the final URL, headers
/// and body bytes (the pipeline collects the body for authorizers that sign it).
package struct UpstreamRequest: Sendable {
    package var method: HTTPMethod
    package var url: String
    package var headers: HTTPHeaders
    package var body: RequestBodySource?

    package init(method: HTTPMethod, url: String, headers: HTTPHeaders, body: RequestBodySource?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The body's bytes when they are in hand, `nil` when there is no body or it is streaming.
    package var collectedBody: ByteBuffer? {
        if case .collected(let buffer)? = self.body { return buffer }
        return nil
    }
}

extension HTTPClientRequest {
    /// The HTTP client's request for `request`: the pipeline's call, and the side calls that list
    /// models (Bedrock's control plane, the model-list sync), made one way.
    package init(_ request: UpstreamRequest) {
        self.init(url: request.url)
        self.method = request.method
        self.headers = request.headers
        switch request.body {
        case .collected(let bytes)?:
            self.body = .bytes(bytes)
        case .streaming(let sequence, let declaredLength)?:
            self.body = .stream(sequence, length: declaredLength.map { .known(Int64($0)) } ?? .unknown)
        case nil:
            break
        }
    }
}
