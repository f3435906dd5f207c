import AdminAPI
import Foundation
import Gateway
import HummingbirdTesting
import Testing

@Suite("Interactions")
struct InteractionRoutesTests {
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    static func rows(profile: UUID, count: Int) -> [Interaction] {
        (0..<count).map { index in
            Interaction(
                startedAt: base.addingTimeInterval(TimeInterval(index)), profileID: index.isMultiple(of: 2) ? profile : nil,
                credentialKind: .providerKey, provider: index < 5 ? "openai" : "anthropic", model: "m\(index)", method: "POST",
                path: "/chat/completions", isStreaming: index == 1, status: index == 3 ? 502 : 200,
                timings: InteractionTimings(totalMicroseconds: 12_345, upstreamMicroseconds: 10_000, firstMessageMicroseconds: index == 1 ? 2_500 : nil),
                tokens: InteractionTokens(input: 10, output: index),
                cost: InteractionCost(total: Decimal(string: "0.0000015")!),
                bodies: InteractionBodies(request: "{\"n\":\(index)}", response: "ok", responseTruncated: true))
        }
    }

    @Test("the list pages newest first by cursor, covering every row once; bodies only on the single row")
    func paging() async throws {
        let harness = try await AdminTestHarness.make()
        let profile = UUID()
        let rows = Self.rows(profile: profile, count: 7)
        try await harness.store.insertInteractions(rows)
        try await harness.run { client in
            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let response = try await client.admin(.get, "/api/interactions?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(response.status == .ok)
                let page = try response.object()
                let items = try #require(page["items"] as? [[String: Any]])
                ids += items.compactMap { $0["id"] as? String }
                #expect(items.allSatisfy { $0["request_body"] is NSNull && $0["response_body"] is NSNull })
                cursor = page["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(ids == rows.reversed().map { $0.id.uuidString.lowercased() })
            #expect(pages == 3)

            let one = try await client.admin(.get, "/api/interactions/\(rows[1].id.uuidString.lowercased())")
            #expect(one.status == .ok)
            let row = try one.object()
            #expect(row["request_body"] as? String == "{\"n\":1}")
            #expect(row["response_body_truncated"] as? Bool == true)
            #expect(row["stream"] as? Bool == true)
            #expect(row["first_token_ms"] as? Double == 2.5)
            #expect(row["duration_ms"] as? Double == 12.345)
            #expect(row["cost_usd"] as? String == "0.0000015")
            #expect(row["credential_kind"] as? String == "provider_key")
            #expect(row["started_at"] as? String == "2027-01-15T08:00:01.000Z")

            let missing = try await client.admin(.get, "/api/interactions/\(UUID().uuidString)")
            #expect(missing.status == .notFound)
        }
    }

    @Test("filters: profile, provider, model, status, time window")
    func filters() async throws {
        let harness = try await AdminTestHarness.make()
        let profile = UUID()
        let rows = Self.rows(profile: profile, count: 7)
        try await harness.store.insertInteractions(rows)
        try await harness.run { client in
            func models(_ query: String) async throws -> [String] {
                let response = try await client.admin(.get, "/api/interactions?\(query)")
                #expect(response.status == .ok, "\(query)")
                return try #require(try response.object()["items"] as? [[String: Any]]).compactMap { $0["model"] as? String }
            }
            let found1 = try await models("profile_id=\(profile.uuidString.lowercased())")
            #expect(found1 == ["m6", "m4", "m2", "m0"])
            let found2 = try await models("provider=anthropic")
            #expect(found2 == ["m6", "m5"])
            let found3 = try await models("model=m3")
            #expect(found3 == ["m3"])
            let found4 = try await models("status=502")
            #expect(found4 == ["m3"])
            let found5 = try await models("since=2027-01-15T08:00:02Z&until=2027-01-15T08:00:04Z")
            #expect(found5 == ["m3", "m2"])
            let found6 = try await models("provider=openai&status=200&limit=2")
            #expect(found6 == ["m4", "m2"])
        }
    }

    @Test("bad parameters are 400 naming the parameter; unknown ones are refused, not ignored")
    func badParameters() async throws {
        let harness = try await AdminTestHarness.make()
        try await harness.run { client in
            for (query, code) in [
                ("limit=0", "invalid_field"), ("limit=abc", "invalid_field"), ("status=42", "invalid_field"),
                ("since=yesterday", "invalid_field"), ("profile_id=nope", "invalid_field"), ("cursor=-1", "invalid_field"),
                ("provider=a&provider=b", "invalid_field"), ("profile=x", "unknown_field"),
            ] {
                let response = try await client.admin(.get, "/api/interactions?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(try response.errorCode() == code, "\(query)")
            }
            let unauthenticated = try await client.execute(uri: "/api/interactions", method: .get)
            #expect(unauthenticated.status == .unauthorized)
        }
    }
}
