import NIOCore
import NIOPosix

/// Raw bytes to a server on 127.0.0.1 and every byte it sent back until it closed the connection.
///
/// For requests no HTTP client library would send (a head past 64 KiB, broken chunking), and so
/// that the test's own client never meets the limits under test. Send `Connection: close` so the
/// server ends the exchange.
func rawHTTPExchange(port: Int, request: [UInt8]) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        // Nothing to send is a client that only connects (an idle socket); a write would race
        // the server closing it.
        if !request.isEmpty { try await outbound.write(ByteBuffer(bytes: request)) }
        var received = ByteBuffer()
        do {
            for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
        } catch {
            // A reset still leaves what arrived before it; the caller's assertions judge that.
        }
        return String(buffer: received)
    }
}

func rawHTTPExchange(port: Int, request: String) async throws -> String {
    try await rawHTTPExchange(port: port, request: Array(request.utf8))
}

/// The status code of a raw HTTP/1.1 response, `nil` when there is none.
func rawStatus(_ response: String) -> Int? {
    guard response.hasPrefix("HTTP/1.1 ") else { return nil }
    return Int(response.dropFirst("HTTP/1.1 ".count).prefix(3))
}
