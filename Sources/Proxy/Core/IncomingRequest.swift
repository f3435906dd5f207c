package import HTTPTypes
package import NIOCore

/// A client's request as the pipeline sees it, in our own types (see ``ProxyResponse``).
package struct IncomingRequest: Sendable {
    package let method: HTTPRequest.Method
    /// The raw path, still percent-encoded, without the query.
    package let path: String
    /// The raw query string without `?`, `nil` when there is none.
    package let query: String?
    package let headers: HTTPFields
    /// The address the request counts as coming from (the socket peer, or the client behind a
    /// trusted load balancer), for rate limiting. Never trusted for anything else.
    package let clientAddress: String
    package var body: RequestBodySource

    package init(method: HTTPRequest.Method, path: String, query: String?, headers: HTTPFields, clientAddress: String, body: RequestBodySource) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.clientAddress = clientAddress
        self.body = body
    }

    /// What the client sent that may carry its credential.
    package var credentials: ClientCredentials { ClientCredentials(headers: self.headers, query: self.query) }
}

/// A request body: still arriving (forwarded upstream as it arrives when no step needs to read
/// it), or collected whole (when a step reads it: the JSON summary, a SigV4 payload hash).
package enum RequestBodySource: Sendable {
    case streaming(any AsyncSequence<ByteBuffer, any Error> & Sendable, declaredLength: Int?)
    case collected(ByteBuffer)

    /// The whole body, reading what has not arrived yet. Throws ``ProxyError/bodyTooLarge(limit:)``
    /// past `limit` bytes, before reading more than that. With a `budget`, the bytes are reserved
    /// in it as they arrive (a declared length at once), into `reservation`, and the read stops
    /// with ``ProxyError/bufferedBodiesOverCapacity(limit:)`` when the budget is spent.
    package mutating func collect(
        upTo limit: Int, budget: RequestBodyBudget? = nil, reservation: inout BodyReservation
    ) async throws(ProxyError) -> ByteBuffer {
        switch self {
        case .collected(let buffer):
            guard buffer.readableBytes <= limit else { throw .bodyTooLarge(limit: limit) }
            return buffer
        case .streaming(let sequence, let declaredLength):
            if let declaredLength, declaredLength > limit { throw .bodyTooLarge(limit: limit) }
            if let budget, let declaredLength { try reservation.add(declaredLength, from: budget) }
            var collected = ByteBuffer()
            do {
                for try await var chunk in sequence {
                    guard collected.readableBytes + chunk.readableBytes <= limit else { throw ProxyError.bodyTooLarge(limit: limit) }
                    if let budget, collected.readableBytes + chunk.readableBytes > reservation.bytes {
                        try reservation.add(collected.readableBytes + chunk.readableBytes - reservation.bytes, from: budget)
                    }
                    collected.writeBuffer(&chunk)
                }
            } catch let error as ProxyError {
                throw error
            } catch is NIOTooManyBytesError {
                throw .bodyTooLarge(limit: limit)
            } catch {
                throw .malformedRequestBody
            }
            self = .collected(collected)
            return collected
        }
    }

    package var isCollected: Bool {
        if case .collected = self { return true }
        return false
    }
}
