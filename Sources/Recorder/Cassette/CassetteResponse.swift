/// The response: status, headers and either a whole `body` or a `stream` of frames.
package struct CassetteResponse: Codable, Sendable, Hashable {
    package var status: Int
    package var headers: [CassetteHeader]
    /// The whole body, for responses that were not streamed.
    package var body: CassetteBody?
    /// The frames of a streamed response in arrival order. For `text/event-stream` each frame
    /// is one whole SSE event (its exact bytes, blank line included).
    package var stream: [CassetteFrame]?

    package init(status: Int, headers: [CassetteHeader] = [], body: CassetteBody? = nil, stream: [CassetteFrame]? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }
}
