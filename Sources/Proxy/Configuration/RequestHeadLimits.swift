/// Bounds on the part of a request a client controls before any of it reaches a library: the
/// request target and the header fields.
///
/// ## Why the header limit cannot exceed 48 KiB
/// The proxy forwards the client's headers (minus hop-by-hop and credential ones) and its path and
/// query, so the head it sends upstream grows with the client's. AsyncHTTPClient 1.x writes a
/// request head with one `writeAndFlush` and only afterwards records, in its request state
/// machine, that the head was sent. A head larger than the channel's write-buffer high watermark
/// (64 KiB, NIO's default, which AsyncHTTPClient does not let us change) makes the channel
/// unwritable inside that write; when the socket then takes the whole head at once (a warm pooled
/// connection whose send buffer has grown does), the channel turns writable again inside the same
/// call. AsyncHTTPClient reacts to that writability by resuming the request body, sends the body
/// and its end, and starts its idle-read timer; back in the head write it then sees "head sent
/// with the end already sent", starts the timer a second time, and `IdleReadStateMachine` stops
/// the process with a precondition failure. A head of at most 64 KiB never crosses the watermark.
///
/// So the head the proxy forwards must stay at or below 65,536 bytes. The client's part is bounded
/// here; the rest is the proxy's own: the upstream host, the base URL's path, the credential it
/// adds (a fallback key, an OAuth or Entra token of a few KiB, SigV4's headers with an STS session
/// token) and configured headers. ``reservedForProxyAddedHeadBytes`` (16 KiB) is kept for those,
/// so the client's request line and headers may not exceed 48 KiB.
package struct RequestHeadLimits: Sendable, Equatable {
    /// The forwarded head size that AsyncHTTPClient survives (the write-buffer high watermark).
    package static let upstreamHeadCeiling = 64 * 1024
    /// What the proxy may add to a client's head on its way upstream; see the type's discussion.
    package static let reservedForProxyAddedHeadBytes = 16 * 1024
    /// The largest `ARCHESTRA_MAX_HEADER_BYTES` that keeps the forwarded head under the ceiling.
    package static let largestHeaderBytes = upstreamHeadCeiling - reservedForProxyAddedHeadBytes

    /// Request line plus header fields as they would be written on the wire, `Host` included
    /// (`ARCHESTRA_MAX_HEADER_BYTES`, default 32 KiB as nginx's four 8 KiB header buffers, at
    /// most 48 KiB). Beyond it: 431.
    package var maximumHeaderBytes: Int
    /// Header fields in one request (`ARCHESTRA_MAX_HEADER_COUNT`, default 100 as Envoy's).
    /// Beyond it: 431.
    package var maximumHeaderCount: Int
    /// The request target, path and query (`ARCHESTRA_MAX_URI_BYTES`, default 8 KiB as nginx's
    /// request-line buffer). Beyond it: 414.
    package var maximumURIBytes: Int

    package static let defaults = RequestHeadLimits(maximumHeaderBytes: 32 * 1024, maximumHeaderCount: 100, maximumURIBytes: 8 * 1024)

    package init(maximumHeaderBytes: Int, maximumHeaderCount: Int, maximumURIBytes: Int) {
        self.maximumHeaderBytes = maximumHeaderBytes
        self.maximumHeaderCount = maximumHeaderCount
        self.maximumURIBytes = maximumURIBytes
    }

    /// Size and count limits handed to NIO's HTTP/1 decoder. They sit above ours so that a head
    /// our limits refuse still parses and gets a 431 in the route's shape; only a head beyond
    /// these (NIO's own 80 KiB default) is cut by the decoder with a bare 400. The field count
    /// also keeps HTTPTypes' `HTTPFields` (at most `UInt16.max - 1` fields) far from its bound.
    package static let decoderMaximumHeaderListBytes = 80 * 1024
    package static let decoderMaximumHeaderFieldCount = 1000

    init(reader: EnvironmentReader) throws(ConfigurationError) {
        let defaults = Self.defaults
        let headerBytes = try reader.byteCount("ARCHESTRA_MAX_HEADER_BYTES") ?? defaults.maximumHeaderBytes
        guard (1024...Self.largestHeaderBytes).contains(headerBytes) else {
            throw ConfigurationError(
                variable: "ARCHESTRA_MAX_HEADER_BYTES",
                problem: "must be between 1kb and \(Self.largestHeaderBytes / 1024)kb: a larger forwarded head crashes the upstream HTTP client"
            )
        }
        let uriBytes = try reader.byteCount("ARCHESTRA_MAX_URI_BYTES") ?? min(defaults.maximumURIBytes, headerBytes)
        guard (256...headerBytes).contains(uriBytes) else {
            throw ConfigurationError(variable: "ARCHESTRA_MAX_URI_BYTES", problem: "must be between 256 bytes and ARCHESTRA_MAX_HEADER_BYTES")
        }
        self.maximumHeaderBytes = headerBytes
        self.maximumURIBytes = uriBytes
        self.maximumHeaderCount =
            try reader.integer("ARCHESTRA_MAX_HEADER_COUNT", in: 1...(Self.decoderMaximumHeaderFieldCount - 1)) ?? defaults.maximumHeaderCount
    }
}
