import Gateway
import HTTPTypes
import Hummingbird
import Logging
import WireFormats

/// Lets a request through to the admin routes only with `Authorization: Bearer <admin token>`.
///
/// Wrong tokens count against the client address in the shared ``FailedAuthenticationLimiter``;
/// an address over its limit gets 429 before its token is even compared, so guessing the admin
/// token costs an attacker the same few tries per minute as guessing a virtual key. A missing
/// header is answered 401 but not counted: it is a misconfigured client, not a guess.
struct AdminTokenMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let adminToken: Secret
    let limiter: FailedAuthenticationLimiter
    let addressResolver: ClientAddressResolver
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = ClientAddress.of(request, context: context, resolver: self.addressResolver)
        if let seconds = self.limiter.retryAfter(address: address) {
            throw AdminAPIError.tooManyFailedAttempts(retryAfter: seconds)
        }
        guard let authorization = request.headers[.authorization] else {
            throw AdminAPIError.missingAdminToken
        }
        guard let presented = Self.bearerToken(authorization),
            ConstantTimeComparison.equals(presented: presented, expected: self.adminToken.exposedValue)
        else {
            self.limiter.recordFailure(address: address)
            // The address, never the presented value: a wrong token is often a real one pasted
            // into the wrong place.
            self.logger.notice("admin token rejected", metadata: ["client.address": .string(address)])
            throw AdminAPIError.invalidAdminToken
        }
        return try await next(request, context)
    }

    /// The credential of `Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1).
    static func bearerToken(_ authorization: String) -> Substring? {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " }
        return token.isEmpty ? nil : token
    }
}

/// The address a request counts as coming from: the socket peer, or the client a trusted load
/// balancer forwarded (``ClientAddressResolver``).
enum ClientAddress {
    static func of(_ request: Request, context: some RemoteAddressRequestContext, resolver: ClientAddressResolver) -> String {
        let forwardedFor = request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value)
        return resolver.clientAddress(peer: context.remoteAddress?.ipAddress, forwardedFor: forwardedFor)
    }
}
