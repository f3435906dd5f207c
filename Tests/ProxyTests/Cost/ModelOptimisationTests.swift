import AsyncHTTPClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Proxy
import TestSupport
import Testing
import WireFormats

/// Model optimisation rules through the whole pipeline: what the upstream receives, what the
/// client sees and what the interaction log keeps, for a direct route, the Anthropic route and
/// the model router; which rule wins; and the requests no rule may touch.
@Suite(.timeLimit(.minutes(2)))
struct ModelOptimisationTests {
    /// Records the model of every request it receives and answers with it, as real APIs do.
    actor Upstream {
        var models: [String] = []
        func add(_ model: String) { self.models.append(model) }

        nonisolated func configure(_ router: Router<BasicRequestContext>) {
            for path in ["/v1/chat/completions", "/v1/messages"] {
                router.post(RouterPath(path)) { request, _ -> Response in
                    var request = request
                    let body = try JSONValue(parsing: Data(buffer: try await request.collectBody(upTo: 1 << 22)))
                    let model = body["model"]?.stringValue ?? "?"
                    await self.add(model)
                    let answer =
                        path == "/v1/messages"
                        ? #"{"id":"m","type":"message","role":"assistant","model":"\#(model)","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":100,"output_tokens":10}}"#
                        : #"{"id":"c","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110}}"#
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
                }
            }
        }
    }

    static let tools = #"[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]"#

    static func chat(model: String, prompt: String = "hi", tools: String? = nil) -> String {
        let content = String(decoding: try! JSONEncoder().encode(prompt), as: UTF8.self)
        return #"{"model":"\#(model)","messages":[{"role":"user","content":\#(content)}]\#(tools.map { #","tools":\#($0)"# } ?? "")}"#
    }

    func withOptimisingProxy(_ body: @Sendable (_ proxy: String, _ gateway: GatewayRuntime, _ upstream: Upstream, _ client: HTTPClient, _ key: String) async throws -> Void) async throws {
        let upstream = Upstream()
        try await withUpstream(upstream.configure) { port in
            let environment = ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)"]
            try await withGatewayProxy(upstreamPort: port, environment: environment) { proxy, gateway in
                let openAI = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-openai-stored")))
                let anthropic = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret("sk-ant-stored")))
                let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [openAI.id, anthropic.id]))
                try await withTestClient { client in try await body(proxy, gateway, upstream, client, value.exposedValue) }
            }
        }
    }

    func send(_ client: HTTPClient, _ url: String, _ json: String, key: String) async throws -> JSONValue {
        var request = nativeRequest(url, json: json, headers: [("authorization", "Bearer \(key)"), ("x-api-key", key)])
        request.headers.add(name: "anthropic-version", value: "2023-06-01")
        let response = try await client.execute(request, timeout: .seconds(10))
        let text = try await response.bodyText()
        #expect(response.status.code == 200, "\(text)")
        return try JSONValue(parsing: Data(text.utf8))
    }

    /// The newest `count` rows of the interaction log, oldest first, once the writer has them.
    func loggedRows(_ gateway: GatewayRuntime, count: Int) async throws -> [Interaction] {
        var rows: [Interaction] = []
        _ = try await poll {
            rows = try await gateway.store.interactions(InteractionQuery(order: .oldestFirst(after: nil)))
            return rows.count >= count
        }
        return rows
    }

    func createRule(_ gateway: GatewayRuntime, _ draft: OptimisationRuleDraft) async throws -> OptimisationRule {
        let rule = try await gateway.store.createOptimisationRule(draft)
        await gateway.directory.refreshIfChanged()
        return rule
    }

    @Test("a short prompt goes to the rule's model; a long one, and a disabled rule, leave the model alone; the log keeps the baseline and the savings")
    func directRoute() async throws {
        try await self.withOptimisingProxy { proxy, gateway, upstream, client, key in
            // Archestra's defaults exist, disabled: nothing is rewritten yet.
            let defaults = try await gateway.store.optimisationRules()
            #expect(defaults.map(\.provider) == ["openai", "anthropic"] && defaults.allSatisfy { !$0.enabled })
            let url = "\(proxy)/v1/openai/chat/completions"
            _ = try await self.send(client, url, Self.chat(model: "gpt-4o"), key: key)

            let openAIDefault = try #require(defaults.first)
            _ = try await gateway.store.setOptimisationRuleEnabled(id: openAIDefault.id, enabled: true)
            await gateway.directory.refreshIfChanged()
            let short = try await self.send(client, url, Self.chat(model: "gpt-4o"), key: key)
            #expect(short["model"]?.stringValue == "gpt-5-mini")
            // 4004 characters of prompt: about 1001 tokens, over the default's 1000.
            let long = try await self.send(client, url, Self.chat(model: "gpt-4o", prompt: String(repeating: "word", count: 1001)), key: key)
            #expect(long["model"]?.stringValue == "gpt-4o")
            // Asking for the target itself is no rewrite: no baseline.
            _ = try await self.send(client, url, Self.chat(model: "gpt-5-mini"), key: key)
            #expect(await upstream.models == ["gpt-4o", "gpt-5-mini", "gpt-4o", "gpt-5-mini"])

            let rows = try await self.loggedRows(gateway, count: 4)
            #expect(rows.map(\.model) == ["gpt-4o", "gpt-5-mini", "gpt-4o", "gpt-5-mini"])
            #expect(rows.map(\.baselineModel) == [nil, "gpt-4o", nil, nil])
            // gpt-4o costs more than gpt-5-mini for the same tokens: the rewrite saved something.
            let rewritten = rows[1]
            #expect((rewritten.cost?.savings ?? 0) > 0 && (rewritten.cost?.total ?? 0) > 0)
        }
    }

    @Test("the first enabled rule that holds wins, oldest first; has_tools tells requests with tools from those without")
    func ruleOrderAndTools() async throws {
        try await self.withOptimisingProxy { proxy, gateway, upstream, client, key in
            _ = try await self.createRule(
                gateway, OptimisationRuleDraft(provider: "openai", targetModel: "gpt-4.1-nano", conditions: OptimisationConditions(maxPromptTokens: 50, hasTools: false)))
            _ = try await self.createRule(
                gateway, OptimisationRuleDraft(provider: "openai", targetModel: "gpt-4o-mini", conditions: OptimisationConditions(maxPromptTokens: 50)))
            _ = try await self.createRule(
                gateway, OptimisationRuleDraft(provider: "openai", targetModel: "never", conditions: OptimisationConditions(hasTools: false), enabled: false))
            let url = "\(proxy)/v1/openai/chat/completions"
            _ = try await self.send(client, url, Self.chat(model: "gpt-4o"), key: key)
            _ = try await self.send(client, url, Self.chat(model: "gpt-4o", tools: Self.tools), key: key)
            _ = try await self.send(client, url, Self.chat(model: "gpt-4o", prompt: String(repeating: "x", count: 400)), key: key)
            #expect(await upstream.models == ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4o"])
        }
    }

    @Test("Anthropic's route, and the model router into Anthropic, get the Anthropic rule; the router's answer names the model that answered")
    func anthropicAndRouter() async throws {
        try await self.withOptimisingProxy { proxy, gateway, upstream, client, key in
            let anthropicDefault = try #require(try await gateway.store.optimisationRules().first { $0.provider == "anthropic" })
            _ = try await gateway.store.setOptimisationRuleEnabled(id: anthropicDefault.id, enabled: true)
            await gateway.directory.refreshIfChanged()
            let native = #"{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#
            let direct = try await self.send(client, "\(proxy)/v1/anthropic/v1/messages", native, key: key)
            #expect(direct["model"]?.stringValue == "claude-haiku-4-5")

            let routed = try await self.send(client, "\(proxy)/v1/model-router/chat/completions", Self.chat(model: "anthropic:claude-sonnet-4-5"), key: key)
            #expect(routed["model"]?.stringValue == "anthropic:claude-haiku-4-5")
            #expect(routed["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "hi")
            // No OpenAI rule is enabled: the router's OpenAI requests pass as they are.
            let untouched = try await self.send(client, "\(proxy)/v1/model-router/chat/completions", Self.chat(model: "openai:gpt-4o"), key: key)
            #expect(untouched["model"]?.stringValue == "gpt-4o")
            #expect(await upstream.models == ["claude-haiku-4-5", "claude-haiku-4-5", "gpt-4o"])

            let rows = try await self.loggedRows(gateway, count: 3)
            #expect(rows.map(\.model) == ["claude-haiku-4-5", "anthropic:claude-haiku-4-5", "openai:gpt-4o"])
            #expect(rows.map(\.baselineModel) == ["claude-sonnet-4-5", "anthropic:claude-sonnet-4-5", nil])
        }
    }

    @Test("operations that are not chat keep their model: embeddings, through the route and the router")
    func notChat() async throws {
        try await self.withOptimisingProxy { proxy, gateway, _, client, key in
            _ = try await self.createRule(gateway, OptimisationRuleDraft(provider: "openai", targetModel: "gpt-5-mini", conditions: OptimisationConditions(hasTools: false)))
            // The stand-in upstream has no /embeddings: a 404 proves the request went on with its
            // own model (a rewrite would not change the path, so the body is what is checked).
            for url in ["\(proxy)/v1/openai/embeddings", "\(proxy)/v1/model-router/embeddings"] {
                let response = try await client.execute(
                    nativeRequest(url, json: #"{"model":"\#(url.contains("router") ? "openai:" : "")text-embedding-3-small","input":"hi"}"#, headers: [("authorization", "Bearer \(key)")]),
                    timeout: .seconds(10))
                _ = try await response.bodyText()
            }
            let rows = try await self.loggedRows(gateway, count: 2)
            #expect(rows.map(\.baselineModel) == [nil, nil])
            #expect(rows.map(\.model) == ["text-embedding-3-small", "openai:text-embedding-3-small"])
        }
    }
}

@Suite("Optimisation rules: the prompt size estimate and rule matching")
struct OptimisationMatchingTests {
    static func facts(_ body: String) -> OptimisationFacts {
        PromptSizeEstimate.facts(of: try! JSONValue(parsing: Data(body.utf8)))
    }

    @Test("the estimate counts the characters of everything below the top level but the model, four a token, rounded up")
    func estimate() throws {
        let facts = Self.facts(
            #"{"model":"a-very-long-model-name-that-does-not-count","messages":[{"role":"user","content":"12345678"}]}"#)
        // "role" + "user" + "content" + "12345678" = 4 + 4 + 7 + 8 = 23 characters: 6 tokens.
        #expect(facts == OptimisationFacts(estimatedPromptTokens: 6, hasTools: false))
        let withTools = Self.facts(#"{"model":"m","messages":[],"tools":[{"name":"t"}]}"#)
        #expect(withTools.hasTools && withTools.estimatedPromptTokens == 2)
        #expect(Self.facts(#"{"model":"m","tools":[]}"#).hasTools == false)
        #expect(Self.facts(#"{"toolConfig":{"tools":[{"toolSpec":{}}]}}"#).hasTools)
        #expect(Self.facts(#"{"functions":[{"name":"f"}]}"#).hasTools)
    }

    @Test("rules are tried oldest first, disabled ones skipped, per provider; every condition must hold")
    func matching() {
        let now = Date()
        func rule(_ provider: String, _ target: String, _ conditions: OptimisationConditions, enabled: Bool = true, age: TimeInterval) -> OptimisationRule {
            OptimisationRule(id: UUID(), provider: provider, targetModel: target, conditions: conditions, enabled: enabled, createdAt: now - age)
        }
        // Listed newest first on purpose: the set orders them.
        let set = OptimisationRuleSet(rules: [
            rule("openai", "c", OptimisationConditions(maxPromptTokens: 100), age: 1),
            rule("openai", "b", OptimisationConditions(maxPromptTokens: 10, hasTools: true), age: 2),
            rule("openai", "a", OptimisationConditions(maxPromptTokens: 10), enabled: false, age: 3),
            rule("anthropic", "h", OptimisationConditions(hasTools: false), age: 4),
        ])
        #expect(set.firstMatch(provider: "openai", request: OptimisationFacts(estimatedPromptTokens: 10, hasTools: true))?.targetModel == "b")
        #expect(set.firstMatch(provider: "openai", request: OptimisationFacts(estimatedPromptTokens: 10, hasTools: false))?.targetModel == "c")
        #expect(set.firstMatch(provider: "openai", request: OptimisationFacts(estimatedPromptTokens: 101, hasTools: false)) == nil)
        #expect(set.firstMatch(provider: "anthropic", request: OptimisationFacts(estimatedPromptTokens: 1_000_000, hasTools: false))?.targetModel == "h")
        #expect(set.isEmpty(provider: "gemini") && !set.isEmpty(provider: "openai"))
    }
}
