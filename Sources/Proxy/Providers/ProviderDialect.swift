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
    /// Whether such a body must also say it is JSON (`content-type: application/json`), as the
    /// provider's own server requires; the default: it must.
    func requiresJSONContentType(nativePath: String) -> Bool
    /// Reads the fields the pipeline needs from a JSON request body. Throws
    /// ``ProxyError/malformedJSON(_:)`` when the body is not the JSON the dialect expects.
    func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary
    /// A complete HTTP response for a proxy-made error; the default carries ``errorBody(for:)``
    /// as JSON, and `retry-after` when the error has one. Dialects whose SDKs read the error code
    /// from a header (AWS) override it.
    func errorResponse(for error: ProxyError) -> ProxyResponse
    /// The JSON body to send upstream for `nativePath`, after ``summarize(requestBody:nativePath:)``
    /// accepted it; the default forwards it untouched (Bedrock's short `/converse` shape drops the
    /// `modelId` that moved into the URL).
    func upstreamBody(_ body: ByteBuffer, nativePath: String) -> ByteBuffer
    /// Token usage in one stream message (an SSE event's bytes, a JSON line), `nil` when it has
    /// none. Called for every message relayed, so it must decide cheaply (a byte search) before
    /// parsing anything, and its cost must depend only on the message.
    func usage(inStreamMessage message: ByteBuffer) -> TokenUsage?
    /// Token usage in a response body that is not a message stream: a whole JSON body, or the
    /// tail of a long one (a streamed JSON array), `nil` when it has none.
    func usage(inResponseBody body: ByteBuffer) -> TokenUsage?
    /// Whether the upstream takes the model of requests to `nativePath` from the URL (Gemini's
    /// `models/<model>:method`, Bedrock's `/model/<id>/…`, Azure's `/deployments/<name>/…`), so a
    /// body's `model` does not choose it. The default: the body's `model` does.
    func modelIsInPath(nativePath: String) -> Bool
}

extension ProviderDialect {
    package func upstreamBody(_ body: ByteBuffer, nativePath: String) -> ByteBuffer { body }

    package func modelIsInPath(nativePath: String) -> Bool { false }

    package func requiresJSONContentType(nativePath: String) -> Bool { true }

    /// A complete HTTP response for a proxy-made error.
    package func errorResponse(for error: ProxyError) -> ProxyResponse {
        ProxyResponse(error: error, body: self.errorBody(for: error))
    }
}
