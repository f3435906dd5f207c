import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import NIOHTTP1
import Proxy
import TestSupport
import Testing
import WireFormats

/// `/api/limits` and `/api/model-prices` on a running proxy: what they accept, refuse, and the
/// effect of a price override on the next request's cost and a limit's usage.
@Suite(.timeLimit(.minutes(2)))
struct CostAdminTests {
    func admin(_ client: HTTPClient, _ gateway: GatewayRuntime, _ method: HTTPMethod, _ url: String, json: String? = nil) async throws -> (Int, JSONValue?) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "authorization", value: "Bearer \(gateway.adminToken.exposedValue)")
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let text = try await response.bodyText()
        return (Int(response.status.code), text.isEmpty ? nil : try JSONValue(parsing: Data(text.utf8)))
    }

    @Test("limits: create at each level, refuse bad input with the field named, list with usage, delete")
    func limits() async throws {
        let upstream = SpendLimitTests.Upstream()
        try await withUpstream(upstream.configure) { port in
            try await withGatewayProxy(upstreamPort: port) { proxy, gateway in
                try await withTestClient { client in
                    let api = "\(proxy)/api/limits"
                    let (created, limit) = try await self.admin(client, gateway, .POST, api, json: #"{"entity_type":"organization","usd":"0.001","window":"day"}"#)
                    #expect(created == 201)
                    #expect(limit?["usd"] == "0.001" && limit?["usage_usd"] == "0" && limit?["entity_id"] == .null)
                    let profile = testProfileID.uuidString.lowercased()
                    #expect(try await self.admin(client, gateway, .POST, api, json: #"{"entity_type":"profile","entity_id":"\#(profile)","usd":5,"models":["gpt-4o"]}"#).0 == 201)
                    for (body, field) in [
                        (#"{"entity_type":"organization","usd":"-1"}"#, "usd"),
                        (#"{"entity_type":"organization","usd":"ten"}"#, "usd"),
                        (#"{"entity_type":"organization","usd":"1","window":"2h"}"#, "window"),
                        (#"{"entity_type":"team","usd":"1"}"#, "entity_type"),
                        (#"{"entity_type":"virtual_key","usd":"1"}"#, "entity_id"),
                    ] {
                        let (status, error) = try await self.admin(client, gateway, .POST, api, json: body)
                        #expect(status == 400)
                        #expect(error?["error"]?["message"]?.stringValue?.contains("`\(field)`") == true, "\(body)")
                    }
                    let (unknown, unknownError) = try await self.admin(
                        client, gateway, .POST, api, json: #"{"entity_type":"virtual_key","entity_id":"00000000-0000-0000-0000-000000000001","usd":"1"}"#)
                    #expect(unknown == 400 && unknownError?["error"]?["message"]?.stringValue?.contains("no virtual key") == true)

                    // One request at $0.0125 trips the organization's $0.001 limit.
                    let ok = try await client.execute(nativeRequest("\(proxy)/v1/openai/chat/completions", json: SpendLimitTests.body, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                    #expect(ok.status.code == 200)
                    _ = try await ok.bodyText()
                    // Spend is added when the response has ended, just after the client has its last byte.
                    var organization: JSONValue = .null
                    #expect(try await poll {
                        await gateway.costs.syncNow()
                        let (_, list) = try await self.admin(client, gateway, .GET, api)
                        organization = list?.arrayValue?.first { $0["entity_type"] == "organization" } ?? .null
                        return organization["usage_usd"] == "0.0125"
                    }, "\(organization)")
                    #expect(organization["remaining_usd"] == "0")
                    let refused = try await client.execute(nativeRequest("\(proxy)/v1/openai/chat/completions", json: SpendLimitTests.body, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                    #expect(refused.status.code == 402)

                    let id = try #require(organization["id"]?.stringValue)
                    #expect(try await self.admin(client, gateway, .DELETE, "\(api)/\(id)").0 == 204)
                    #expect(try await self.admin(client, gateway, .DELETE, "\(api)/\(id)").0 == 404)
                    // The limit is gone: requests pass again, at once.
                    let again = try await client.execute(nativeRequest("\(proxy)/v1/openai/chat/completions", json: SpendLimitTests.body, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                    #expect(again.status.code == 200)
                    #expect(upstream.calls.load(ordering: .relaxed) == 2)
                }
            }
        }
    }

    @Test("model prices: the built-in table is listed; an override changes the next request's cost; deleting it restores the built-in price")
    func prices() async throws {
        let upstream = SpendLimitTests.Upstream()
        try await withUpstream(upstream.configure) { port in
            try await withGatewayProxy(upstreamPort: port) { proxy, gateway in
                try await withTestClient { client in
                    let (_, list) = try await self.admin(client, gateway, .GET, "\(proxy)/api/model-prices")
                    let builtIn = try #require(list?.arrayValue?.first { $0["model"] == "gpt-4o" })
                    #expect(builtIn["input"] == "2.5" && builtIn["output"] == "10" && builtIn["source"] == "built_in")
                    let (set, price) = try await self.admin(client, gateway, .PUT, "\(proxy)/api/model-prices/gpt-4o", json: #"{"input":"1","output":"0.5"}"#)
                    #expect(set == 200 && price?["source"] == "override" && price?["cache_read"] == "1")
                    #expect(try await self.admin(client, gateway, .PUT, "\(proxy)/api/model-prices/gpt-4o", json: #"{"input":"x","output":"1"}"#).0 == 400)
                    #expect(try await self.admin(client, gateway, .PUT, "\(proxy)/api/model-prices/gpt-4o", json: #"{"input":"1"}"#).0 == 400)

                    let limit = try await gateway.store.createSpendLimit(SpendLimitDraft(entity: .organization, usd: 100, window: .rollingHour))
                    gateway.costs.invalidate()
                    _ = try await client.execute(nativeRequest("\(proxy)/v1/openai/chat/completions", json: SpendLimitTests.body, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                    // 1000 × $1 + 1000 × $0.50 per million.
                    #expect(try await poll { gateway.costs.spent(on: limit) == Decimal(string: "0.0015") }, "\(gateway.costs.spent(on: limit))")
                    #expect(try await self.admin(client, gateway, .DELETE, "\(proxy)/api/model-prices/gpt-4o").0 == 204)
                    #expect(try await self.admin(client, gateway, .DELETE, "\(proxy)/api/model-prices/gpt-4o").0 == 404)
                    _ = try await client.execute(nativeRequest("\(proxy)/v1/openai/chat/completions", json: SpendLimitTests.body, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                    #expect(try await poll { gateway.costs.spent(on: limit) == Decimal(string: "0.014") }, "\(gateway.costs.spent(on: limit))")
                }
            }
        }
    }
}
