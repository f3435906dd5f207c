package import Hummingbird
package import NIOCore

/// The parts of a wire format the pipeline needs, so that no step branches on the provider.
package protocol ProviderDialect: Sendable {
    /// The error body the dialect's SDKs parse, for an error the proxy makes itself.
    func errorBody(for error: ProxyError) -> ByteBuffer
    /// An in-band error message for a stream whose status line has already gone out, in the
    /// stream's framing; `nil` when the dialect has no way to say it (the stream is then cut).
    func streamErrorMessage(for error: ProxyError, framing: StreamFraming) -> ByteBuffer?
    /// Whether requests to `nativePath` carry a JSON body the proxy must validate (and may read).
    /// Other paths are forwarded untouched.
    func requiresJSONBody(nativePath: String) -> Bool
    /// Reads the fields the pipeline needs from a JSON request body. Throws
    /// ``ProxyError/malformedJSON(_:)`` when the body is not the JSON the dialect expects.
    func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary
    /// A complete HTTP response for a proxy-made error; the default carries ``errorBody(for:)``
    /// as JSON. Dialects whose SDKs read the error code from a header (AWS) override it.
    func errorResponse(for error: ProxyError) -> Response
    /// The JSON body to send upstream for `nativePath`, after ``summarize(requestBody:nativePath:)``
    /// accepted it; the default forwards it untouched (Bedrock's short `/converse` shape drops the
    /// `modelId` that moved into the URL).
    func upstreamBody(_ body: ByteBuffer, nativePath: String) -> ByteBuffer
    /// The usage a whole stream message reports, if it is the one that does. Called for every
    /// message of a relayed stream, so it must be cheap for the others; the default reads nothing.
    func usage(inStreamMessage message: ByteBuffer, framing: StreamFraming) -> TokenUsage?
    /// The usage in a complete (non-streamed) success body; the default reads nothing.
    func usage(inResponseBody body: ByteBuffer) -> TokenUsage?
}

/// What the pipeline knows about a request after reading its body.
package struct RequestSummary: Sendable, Equatable {
    package var model: String?
    package var isStreaming: Bool

    package init(model: String? = nil, isStreaming: Bool = false) {
        self.model = model
        self.isStreaming = isStreaming
    }
}

extension ProviderDialect {
    package func upstreamBody(_ body: ByteBuffer, nativePath: String) -> ByteBuffer { body }
    package func usage(inStreamMessage message: ByteBuffer, framing: StreamFraming) -> TokenUsage? { nil }
    package func usage(inResponseBody body: ByteBuffer) -> TokenUsage? { nil }

    /// A complete HTTP response for a proxy-made error.
    package func errorResponse(for error: ProxyError) -> Response {
        Response(
            status: error.status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: self.errorBody(for: error))
        )
    }
}
