/// One request and the response it got.
package struct CassetteInteraction: Codable, Sendable, Hashable {
    /// Which hop this exchange was captured on. Only ``Leg/upstream`` is written today; the field
    /// exists so a recording through the proxy can later keep the client leg in the same file.
    package enum Leg: String, Codable, Sendable, Hashable {
        case upstream
        /// The client's side of a hop through the proxy. Nothing writes it yet: issue 14 (two-leg
        /// recording) fills it; reading it already works, so cassettes written then still load now.
        case client
    }

    package var leg: Leg?
    package var request: CassetteRequest
    package var response: CassetteResponse
    /// When the exchange started, if known (ISO 8601 or the source's own date text).
    package var recordedAt: String?
    /// Time from sending the request to the end of the response, if known.
    package var durationMs: Int?

    package init(
        leg: Leg? = .upstream,
        request: CassetteRequest,
        response: CassetteResponse,
        recordedAt: String? = nil,
        durationMs: Int? = nil
    ) {
        self.leg = leg
        self.request = request
        self.response = response
        self.recordedAt = recordedAt
        self.durationMs = durationMs
    }

    enum CodingKeys: String, CodingKey {
        case leg, request, response
        case recordedAt = "recorded_at"
        case durationMs = "duration_ms"
    }
}
