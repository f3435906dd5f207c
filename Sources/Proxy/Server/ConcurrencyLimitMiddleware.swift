package import Hummingbird
import Synchronization

/// Bounds how many proxied requests are in flight at once (`ARCHESTRA_MAX_CONCURRENT_REQUESTS`).
///
/// A request holds its slot until its response body has been written, so a long stream counts for
/// as long as it lasts. Beyond the bound the proxy answers 503 in the route's dialect at once,
/// which every LLM SDK retries with backoff, instead of queueing without limit.
package struct ConcurrencyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: InFlightLimiter
    let configuration: ProxyConfiguration

    package init(configuration: ProxyConfiguration) {
        self.limiter = InFlightLimiter(limit: configuration.maximumConcurrentRequests)
        self.configuration = configuration
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let permit = self.limiter.acquire() else {
            let dialect = ProxyRoute(rawPath: request.uri.path).flatMap { self.configuration.provider(id: $0.providerID) }?.declaration.dialect ?? OpenAIDialect()
            var overloaded = ProxyError.overloaded(limit: self.limiter.limit)
            overloaded.retryAfterSeconds = 1
            return Response(dialect.errorResponse(for: overloaded))
        }
        var response = try await next(request, context)
        let body = response.body
        // The body closure owns the permit; when the closure is released — after the body is
        // written, or with the response if it never is — the slot is freed.
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            withExtendedLifetime(permit) {}
            try await body.write(writer)
        }
        return response
    }
}

/// A counter of in-flight requests with a bound.
package final class InFlightLimiter: Sendable {
    package let limit: Int
    private let inFlight = Atomic<Int>(0)

    package init(limit: Int) {
        self.limit = limit
    }

    /// A permit, or `nil` when `limit` requests are already in flight.
    package func acquire() -> InFlightPermit? {
        while true {
            let current = self.inFlight.load(ordering: .relaxed)
            guard current < self.limit else { return nil }
            if self.inFlight.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged {
                return InFlightPermit(limiter: self)
            }
        }
    }

    package var current: Int { self.inFlight.load(ordering: .relaxed) }

    fileprivate func release() {
        self.inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }
}

/// Frees its slot when released.
package final class InFlightPermit: Sendable {
    private let limiter: InFlightLimiter

    fileprivate init(limiter: InFlightLimiter) {
        self.limiter = limiter
    }

    deinit {
        self.limiter.release()
    }
}
