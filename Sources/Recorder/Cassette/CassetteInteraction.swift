/// One request and the response it got.
public struct CassetteInteraction: Codable, Sendable, Hashable {
    /// Which hop this exchange was captured on. Only ``Leg/upstream`` is written today; the field
    /// exists so a recording through the proxy can later keep the client leg in the same file.
    public enum Leg: String, Codable, Sendable, Hashable {
        case upstream
        case client
    }

    public var leg: Leg?
    public var request: CassetteRequest
    public var response: CassetteResponse
    /// When the exchange started, if known (ISO 8601 or the source's own date text).
    public var recordedAt: String?
    /// Time from sending the request to the end of the response, if known.
    public var durationMs: Int?

    public init(
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
