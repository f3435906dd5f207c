import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import NIOCore
import Proxy
import Synchronization
import TestSupport
import Testing
import WireFormats

/// Spending limits through the whole pipeline: each entity level, model lists, the 402 in the
/// client's dialect, and the overshoot bound for concurrent requests at the edge of a limit.
///
/// Every answer of the stand-in upstream reports 1000 input and 1000 output tokens of `gpt-4o`
/// ($2.50 and $10 per million): $0.0125 per request.
@Suite(.timeLimit(.minutes(2)))
struct SpendLimitTests {
    static let costPerRequest = Decimal(string: "0.0125")!
    static let answer = #"{"id":"c","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":1000,"total_tokens":2000}}"#
    static let body = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#

    /// Counts the calls that reached the upstream; each waits for `gate` when one is set.
    final class Upstream: Sendable {
        let calls = Atomic<Int>(0)
        let gate: Gate?
        /// One element per call, as it arrives (before it waits for the gate).
        let arrivals: AsyncStream<Void>
        private let arrived: AsyncStream<Void>.Continuation
        init(gate: Gate? = nil) {
            self.gate = gate
            (self.arrivals, self.arrived) = AsyncStream.makeStream(of: Void.self)
        }

        func configure(_ router: Router<BasicRequestContext>) {
            for path in ["/v1/chat/completions", "/v1/messages"] {
                router.post(RouterPath(path)) { _, _ in
                    self.calls.add(1, ordering: .relaxed)
                    self.arrived.yield()
                    if let gate = self.gate { await gate.wait() }
                    let body = path == "/v1/messages"
                        ? #"{"id":"m","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","usage":{"input_tokens":1000,"output_tokens":1000}}"#
                        : SpendLimitTests.answer
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
                }
            }
        }
    }

    func withLimitProxy(_ upstream: Upstream, _ body: (String, GatewayRuntime, HTTPClient) async throws -> Void) async throws {
        try await withUpstream(upstream.configure) { port in
            try await withGatewayProxy(upstreamPort: port, environment: ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)"]) { proxy, gateway in
                try await withTestClient { client in try await body(proxy, gateway, client) }
            }
        }
    }

    func send(_ client: HTTPClient, _ url: String, key: String = "sk-raw") async throws -> (Int, JSONValue) {
        let response = try await client.execute(nativeRequest(url, json: Self.body, headers: [("authorization", "Bearer \(key)")]), timeout: .seconds(10))
        let text = try await response.bodyText()
        return (Int(response.status.code), try JSONValue(parsing: Data(text.utf8)))
    }

    @Test("organization limit: requests pass until the spend reaches it, then 402 in OpenAI's shape with GATEWAY.md's body, and nothing goes upstream")
    func organization() async throws {
        let upstream = Upstream()
        try await withLimitProxy(upstream) { proxy, gateway, client in
            let limit = try await gateway.store.createSpendLimit(SpendLimitDraft(entity: .organization, usd: Decimal(string: "0.03")!, window: .rollingHour))
            gateway.costs.invalidate()
            for _ in 0..<3 { #expect(try await self.send(client, "\(proxy)/v1/openai/chat/completions").0 == 200) }
            // Spend is added when the response has ended, just after the client has its last byte.
            #expect(try await poll { gateway.costs.spent(on: limit) == Self.costPerRequest * 3 })
            let (status, json) = try await self.send(client, "\(proxy)/v1/openai/chat/completions")
            #expect(status == 402)
            #expect(json["error"]?["type"]?.stringValue == "usage_limit_exceeded")
            #expect(json["error"]?["code"]?.stringValue == "token_cost_limit_exceeded")
            #expect(json["error"]?["usage_limit"] == ["limit_type": "token_cost", "entity_type": "organization"])
            let message = try #require(json["error"]?["message"]?.stringValue)
            #expect(message.hasPrefix("This request was blocked by Archestra (not the AI provider)"))
            #expect(message.contains("$0.0375") && message.contains("$0.03") && message.contains("remaining: $0"))
            #expect(upstream.calls.load(ordering: .relaxed) == 3)
        }
    }

    @Test("virtual key limit: only that key's requests count and are refused; another key and raw keys pass")
    func virtualKey() async throws {
        let upstream = Upstream()
        try await withLimitProxy(upstream) { proxy, gateway, client in
            let key = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-stored"), isPrimary: false))
            let (limited, limitedValue) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            let (_, otherValue) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
            let limit = try await gateway.store.createSpendLimit(SpendLimitDraft(entity: .virtualKey(limited.id), usd: Decimal(string: "0.001")!, window: .calendarDay))
            gateway.directory.invalidate()
            gateway.costs.invalidate()
            #expect(try await self.send(client, "\(proxy)/v1/openai/chat/completions", key: limitedValue.exposedValue).0 == 200)
            // Spend is added when the response has ended, just after the client has its last byte.
            #expect(try await poll { gateway.costs.spent(on: limit) > 0 })
            let (status, json) = try await self.send(client, "\(proxy)/v1/openai/chat/completions", key: limitedValue.exposedValue)
            #expect(status == 402)
            #expect(json["error"]?["usage_limit"]?["entity_type"]?.stringValue == "virtual_key")
            #expect(try await self.send(client, "\(proxy)/v1/openai/chat/completions", key: otherValue.exposedValue).0 == 200)
            #expect(try await self.send(client, "\(proxy)/v1/openai/chat/completions").0 == 200)
            #expect(upstream.calls.load(ordering: .relaxed) == 3)
        }
    }

    @Test("profile limit with a model list: only that profile's requests for those models count; the Anthropic route answers 402 in Anthropic's shape")
    func profileAndModels() async throws {
        let upstream = Upstream()
        try await withLimitProxy(upstream) { proxy, gateway, client in
            let limit = try await gateway.store.createSpendLimit(
                SpendLimitDraft(entity: .profile(testProfileID), usd: Decimal(string: "0.005")!, window: .calendarMonth, models: ["claude-sonnet-4-5"]))
            gateway.costs.invalidate()
            let profile = testProfileID.uuidString.lowercased()
            let anthropic = "\(proxy)/v1/anthropic/\(profile)/v1/messages"
            var request = nativeRequest(anthropic, json: #"{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, headers: [("x-api-key", "k"), ("anthropic-version", "2023-06-01")])
            #expect(try await client.execute(request, timeout: .seconds(10)).status.code == 200)
            #expect(try await poll { gateway.costs.spent(on: limit) > 0 })
            // gpt-4o on the same profile is not in the list: it passes.
            #expect(try await self.send(client, "\(proxy)/v1/openai/\(profile)/chat/completions").0 == 200)
            request = nativeRequest(anthropic, json: #"{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, headers: [("x-api-key", "k"), ("anthropic-version", "2023-06-01")])
            let refused = try await client.execute(request, timeout: .seconds(10))
            #expect(refused.status.code == 402)
            let json = try JSONValue(parsing: Data(try await refused.bodyText().utf8))
            #expect(json["type"]?.stringValue == "error" && json["error"]?["message"]?.stringValue?.hasPrefix("This request was blocked by Archestra") == true)
            // The default profile is another profile: not limited.
            #expect(try await client.execute(nativeRequest("\(proxy)/v1/anthropic/v1/messages", json: #"{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[]}"#, headers: [("x-api-key", "k")]), timeout: .seconds(10)).status.code == 200)
            #expect(upstream.calls.load(ordering: .relaxed) == 3)
        }
    }

    @Test("concurrent requests at the edge: all those checked before any ended pass, the overshoot stays below their count × their cost, and the next is refused")
    func concurrentEdge() async throws {
        let gate = Gate()
        let upstream = Upstream(gate: gate)
        let inFlight = 8
        try await withLimitProxy(upstream) { proxy, gateway, client in
            let limit = try await gateway.store.createSpendLimit(SpendLimitDraft(entity: .organization, usd: Decimal(string: "0.03")!, window: .rollingDay))
            gateway.costs.invalidate()
            #expect(await gateway.costs.breach(virtualKeyID: nil, profileID: nil, model: nil) == nil)
            // $0.025 already spent: under the limit by less than one request's cost.
            gateway.costs.record(nanoUSD: NanoUSD.from(Decimal(string: "0.025")!), virtualKeyID: nil, profileID: nil, model: "gpt-4o")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<inFlight {
                    group.addTask { try await self.send(client, "\(proxy)/v1/openai/chat/completions").0 }
                }
                // Every request is upstream (checked, none ended) before any may answer.
                var arrivals = upstream.arrivals.makeAsyncIterator()
                for _ in 0..<inFlight { _ = await arrivals.next() }
                await gate.open()
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses == Array(repeating: 200, count: inFlight))
            let spent = gateway.costs.spent(on: limit)
            #expect(spent == Decimal(string: "0.025")! + Self.costPerRequest * Decimal(inFlight))
            // The documented bound: spend − limit < requests in flight × their cost.
            #expect(spent - limit.usd > 0)
            #expect(spent - limit.usd < Decimal(inFlight) * Self.costPerRequest)
            // Once they have ended, the next request is refused before it goes upstream.
            #expect(try await self.send(client, "\(proxy)/v1/openai/chat/completions").0 == 402)
            #expect(upstream.calls.load(ordering: .relaxed) == inFlight)
        }
    }

    @Test("spend survives a restart: a new ledger on the same store sees what the first saved")
    func persisted() async throws {
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: .ephemeral())
        let limit = try await store.createSpendLimit(SpendLimitDraft(entity: .organization, usd: 1, window: .calendarMonth))
        let first = CostLedger(store: store, logger: .init(label: "test"))
        await first.syncNow()
        first.record(nanoUSD: NanoUSD.from(Decimal(string: "0.0042")!), virtualKeyID: nil, profileID: nil, model: "gpt-4o")
        #expect(first.spent(on: limit) == Decimal(string: "0.0042")!)
        await first.syncNow()
        let second = CostLedger(store: store, logger: .init(label: "test"))
        await second.syncNow()
        #expect(second.spent(on: limit) == Decimal(string: "0.0042")!)
        // Another process's spend reaches the first at its next sync.
        second.record(nanoUSD: NanoUSD.from(Decimal(string: "0.001")!), virtualKeyID: nil, profileID: nil, model: nil)
        await second.syncNow()
        await first.syncNow()
        #expect(first.spent(on: limit) == Decimal(string: "0.0052")!)
    }
}
