package import Hummingbird
import Logging

/// Refuses, before routing, a request whose head the proxy must not forward: a request target
/// longer than `maximumURIBytes` (414), more header fields than `maximumHeaderCount` or a head
/// larger than `maximumHeaderBytes` (431), or a path with a dot-segment (400). The answer is in the
/// route's dialect, and nothing reaches the upstream.
///
/// The byte count is of the head as the proxy received it and will forward it — request line,
/// `Host` and every field with its `: ` and CRLF — so that ``RequestHeadLimits`` can reason about
/// the size of what AsyncHTTPClient is handed (see its discussion of the crash this prevents).
///
/// A dot-segment gets 400 rather than 404: the path is not "not found", it is a request no
/// conforming client sends (RFC 3986 §5.2.4), and 404 would invite probing for what exists.
package struct RequestHeadGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: RequestHeadLimits
    let configuration: ProxyConfiguration

    package init(configuration: ProxyConfiguration) {
        self.limits = configuration.requestHeadLimits
        self.configuration = configuration
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let error = Self.refusal(of: request.head, limits: self.limits) {
            context.logger.notice("request refused before routing", metadata: ["archestra.error": .string(error.code.rawValue)])
            return Response(self.configuration.errorDialect(forRawPath: request.uri.path).errorResponse(for: error))
        }
        return try await next(request, context)
    }

    /// Why `head` must be refused, or `nil` when it may be routed.
    package static func refusal(of head: HTTPRequest, limits: RequestHeadLimits) -> ProxyError? {
        let target = head.path ?? ""
        if target.utf8.count > limits.maximumURIBytes { return .uriTooLong(limit: limits.maximumURIBytes) }
        if head.headerFields.count > limits.maximumHeaderCount { return .tooManyHeaderFields(limit: limits.maximumHeaderCount) }
        if Self.wireSize(of: head) > limits.maximumHeaderBytes { return .headerFieldsTooLarge(limit: limits.maximumHeaderBytes) }
        let pathEnd = target.utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? target.utf8.endIndex
        if DotSegmentDetector.containsDotSegment(utf8: target.utf8[..<pathEnd]) { return .dotSegmentInPath }
        return nil
    }

    /// Bytes of `head` in HTTP/1.1 form: `METHOD target HTTP/1.1\r\n`, `Host: …\r\n` (HTTPTypes keeps
    /// it as the authority, not a field), `name: value\r\n` per field, and the closing CRLF.
    package static func wireSize(of head: HTTPRequest) -> Int {
        var size = head.method.rawValue.utf8.count + 1 + (head.path?.utf8.count ?? 0) + " HTTP/1.1\r\n".utf8.count
        if let authority = head.authority { size += "Host: \r\n".utf8.count + authority.utf8.count }
        for field in head.headerFields {
            size += field.name.rawName.utf8.count + ": \r\n".utf8.count + field.value.utf8.count
        }
        return size + 2
    }
}
