/// The request as the upstream received it.
package struct CassetteRequest: Codable, Sendable, Hashable {
    package var method: String
    /// Path and query exactly as sent (percent-encoding preserved), e.g. `/v1/models?limit=2`.
    package var path: String
    /// The authority the request went to, for reference only; matching ignores it.
    package var host: String?
    package var headers: [CassetteHeader]
    package var body: CassetteBody?

    package init(method: String, path: String, host: String? = nil, headers: [CassetteHeader] = [], body: CassetteBody? = nil) {
        self.method = method
        self.path = path
        self.host = host
        self.headers = headers
        self.body = body
    }
}
