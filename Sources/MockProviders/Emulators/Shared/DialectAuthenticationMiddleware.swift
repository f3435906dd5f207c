import WireFormats
package import Hummingbird
import Foundation

/// Checks the key a request carries against the accepted keys, in constant time. `/healthz` is open.
package struct DialectAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let acceptedKeys: [String]
    /// The key the request carries, `nil` when it carries none.
    let key: @Sendable (Request) -> String?
    let missing: @Sendable () -> EmulatorError
    let invalid: @Sendable () -> EmulatorError

    package init(
        acceptedKeys: [String],
        key: @escaping @Sendable (Request) -> String?,
        missing: @escaping @Sendable () -> EmulatorError,
        invalid: @escaping @Sendable () -> EmulatorError
    ) {
        self.acceptedKeys = acceptedKeys
        self.key = key
        self.missing = missing
        self.invalid = invalid
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let key = self.key(request), !key.isEmpty else { throw self.missing() }
        var accepted = false
        for candidate in self.acceptedKeys where ConstantTimeComparison.areEqual(candidate, key) {
            accepted = true
        }
        guard accepted else { throw self.invalid() }
        return try await next(request, context)
    }

    /// The key of `Authorization: Bearer <key>`.
    package static func bearerKey(_ request: Request) -> String? {
        BearerCredential.key(in: request.headers)
    }

    /// A query parameter's value, percent-decoded.
    package static func queryValue(_ name: String, in request: Request) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]).removingPercentEncoding ?? String(parts[1]) }
        }
        return nil
    }
}
