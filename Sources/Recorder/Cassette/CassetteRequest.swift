/// The request as the upstream received it.
public struct CassetteRequest: Codable, Sendable, Hashable {
    public var method: String
    /// Path and query exactly as sent (percent-encoding preserved), e.g. `/v1/models?limit=2`.
    public var path: String
    /// The authority the request went to, for reference only; matching ignores it.
    public var host: String?
    public var headers: [CassetteHeader]
    public var body: CassetteBody?

    public init(method: String, path: String, host: String? = nil, headers: [CassetteHeader] = [], body: CassetteBody? = nil) {
        self.method = method
        self.path = path
        self.host = host
        self.headers = headers
        self.body = body
    }
}
