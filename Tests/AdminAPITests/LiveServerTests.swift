import AdminAPI
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Admin API on a real socket")
struct LiveServerTests {
    @Test("failures are keyed on the socket peer, and a forged X-Forwarded-For from an untrusted peer changes nothing")
    func keyedOnSocketPeer() async throws {
        let harness = try await AdminTestHarness.make(maximumFailures: 2)
        try await harness.application().test(.live) { client in
            let forwardedFor = try #require(HTTPField.Name("X-Forwarded-For"))
            for spoofed in ["203.0.113.1", "203.0.113.2"] {
                let response = try await client.admin(.get, "/api/profiles", token: "guess-guess-guess-guess", headers: [forwardedFor: spoofed])
                #expect(response.status == .unauthorized)
            }
            let limited = try await client.admin(.get, "/api/profiles", headers: [forwardedFor: "203.0.113.3"])
            #expect(limited.status == .tooManyRequests)
        }
        let addresses = harness.logs.entries.compactMap { $0.metadata["client.address"]?.description }
        #expect(addresses.count == 2)
        #expect(addresses.allSatisfy { $0 == "127.0.0.1" })
    }
}
