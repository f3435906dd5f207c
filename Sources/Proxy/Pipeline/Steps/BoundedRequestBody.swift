import NIOCore

/// A request body forwarded as it arrives, cut off at the body limit: the check a collected body
/// gets, for a body that is never collected. Read failures become the client's fault
/// (``ProxyError/malformedRequestBody``), never a 502 about the upstream.
struct BoundedRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: any AsyncSequence<ByteBuffer, any Error> & Sendable
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: any AsyncIteratorProtocol<ByteBuffer, any Error>
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            let chunk: ByteBuffer?
            do {
                chunk = try await self.base.next(isolation: nil)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw ProxyError.malformedRequestBody
            }
            guard let chunk else { return nil }
            self.seen += chunk.readableBytes
            if self.seen > self.limit { throw ProxyError.bodyTooLarge(limit: self.limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.base.makeAsyncIterator(), limit: self.limit)
    }
}
