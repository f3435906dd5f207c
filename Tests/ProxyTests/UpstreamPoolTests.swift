import AsyncHTTPClient
import Proxy
import Testing

/// The upstream pool admits as many connections per provider as the proxy admits requests
/// (issue 10, item 3: the pool's 1,024 cap turned streams beyond it into 504s).
struct UpstreamPoolTests {
    @Test("the per-host connection limit follows ARCHESTRA_MAX_CONCURRENT_REQUESTS", arguments: [nil, "2000", "20000"])
    func perHostLimitFollowsConcurrencyLimit(variable: String?) throws {
        let configuration = try ProxyConfiguration(environment: variable.map { ["ARCHESTRA_MAX_CONCURRENT_REQUESTS": $0] } ?? [:])
        let pool = ProxyServer.httpClientConfiguration(for: configuration).connectionPool
        #expect(pool.concurrentHTTP1ConnectionsPerHostSoftLimit == configuration.maximumConcurrentRequests)
        #expect(pool.concurrentHTTP1ConnectionsPerHostSoftLimit == Int(variable ?? "10000"))
    }
}
