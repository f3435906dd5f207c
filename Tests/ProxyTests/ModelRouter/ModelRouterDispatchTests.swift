import AsyncHTTPClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Proxy
import Testing
import WireFormats

/// The router end to end against a scripted upstream that records what it receives: the exact
/// upstream request for an OpenAI-wire and a translated target, the client-visible answer,
/// streams delivered as they arrive, errors with their status and headers, and refusals.
@Suite(.timeLimit(.minutes(2)))
struct ModelRouterDispatchTests {
    /// What the upstream received.
    struct Received: Sendable {
        var path: String
        var headers: HTTPFields
        var body: String
    }

    actor Recorder {
        var requests: [Received] = []
        func add(_ request: Received) { self.requests.append(request) }
    }


    static let anthropicAnswer = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi there"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":2}}"#

    static func upstream(_ recorder: Recorder, gate: Gate) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.post("/v1/chat/completions") { request, _ -> Response in
                var request = request
                let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
                await recorder.add(Received(path: request.uri.path, headers: request.headers, body: body))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[]}"#)))
            }
            router.post("/v1/messages") { request, _ -> Response in
                var request = request
                let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
                await recorder.add(Received(path: request.uri.path, headers: request.headers, body: body))
                if body.contains("\"rate\"") {
                    return Response(
                        status: .tooManyRequests,
                        headers: [.contentType: "application/json", .retryAfter: "7", HTTPField.Name("anthropic-ratelimit-requests-remaining")!: "0"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#)))
                }
                if body.contains("\"huge\"") {
                    // One whole event past the proxy's limit (64 KiB in `withRouter`), in one write.
                    let huge = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\(String(repeating: "x", count: 100_000))\"}}\n\n"
                    let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":7,\"output_tokens\":1}}}\n\n"
                    return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: start + huge)))
                }
                guard body.contains("\"stream\":true") else {
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: Self.anthropicAnswer)))
                }
                let first = """
                    event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":7,"output_tokens":1}}}\n\n\
                    event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n\
                    event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n
                    """
                let rest = """
                    event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}\n\n\
                    event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n\
                    event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\n\n\
                    event: message_stop\ndata: {"type":"message_stop"}\n\n
                    """
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: first))
                        await gate.wait()
                        try await writer.write(ByteBuffer(string: rest))
                        try await writer.finish(nil)
                    })
            }
        }
    }

    /// A proxy whose openai and anthropic upstreams are the scripted one, a virtual key mapping a
    /// stored key of each, and an LLM proxy.
    func withRouter(_ body: @Sendable (_ proxy: String, _ key: String, _ llmProxy: UUID, _ recorder: Recorder, _ gate: Gate, _ gateway: GatewayRuntime) async throws -> Void) async throws {
        let recorder = Recorder()
        let gate = Gate()
        try await withUpstream(Self.upstream(recorder, gate: gate)) { port in
            let environment = [
                "ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)", "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(port)/v1",
                "ARCHESTRA_MAX_STREAM_EVENT_BYTES": "65536",
            ]
            try await withGatewayProxy(upstreamPort: port, environment: environment) { proxy, gateway in
                let openAI = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-openai-stored")))
                let anthropic = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret("sk-ant-stored")))
                let (_, value) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [openAI.id, anthropic.id]))
                let llmProxy = try await gateway.store.createProfile(ProfileDraft(name: "router", kind: .llmProxy))
                try await body(proxy, value.exposedValue, llmProxy.id, recorder, gate, gateway)
            }
        }
    }

    @Test("an OpenAI-wire target receives the client's bytes with only model rewritten, the mapped key, and the client's own headers")
    func openAIWirePassThrough() async throws {
        try await self.withRouter { proxy, key, llmProxy, recorder, _, _ in
            try await withTestClient { client in
                let json = #"{"model":"openai:gpt-4o",  "messages":[{"role":"user","content":"hi"}],"logit_bias":{"50256":-100},"x_vendor":true}"#
                let response = try await client.execute(
                    openAIRequest("\(proxy)/v1/model-router/\(llmProxy.uuidString.lowercased())/chat/completions", json: json, key: key, headers: [("x-trace-id", "t-1")]),
                    timeout: .seconds(10))
                #expect(response.status == .ok)
                let received = try #require(await recorder.requests.last)
                #expect(received.path == "/v1/chat/completions")
                #expect(received.body == #"{"model":"gpt-4o",  "messages":[{"role":"user","content":"hi"}],"logit_bias":{"50256":-100},"x_vendor":true}"#)
                #expect(received.headers[.authorization] == "Bearer sk-openai-stored")
                #expect(received.headers[HTTPField.Name("x-trace-id")!] == "t-1")
                #expect(!"\(received.headers)".contains(key))
            }
        }
    }

    @Test("an Anthropic target receives a Messages request with anthropic-version and its key; the client gets an OpenAI completion")
    func anthropicTranslated() async throws {
        try await self.withRouter { proxy, key, _, recorder, _, _ in
            try await withTestClient { client in
                let json = #"{"model":"anthropic:claude-sonnet-4-5","seed":3,"messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"hi"}]}"#
                let response = try await client.execute(
                    openAIRequest("\(proxy)/v1/model-router/chat/completions", json: json, key: key, headers: [("accept-encoding", "gzip")]), timeout: .seconds(10))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "x-archestra-dropped-content") == "seed")
                let answer = try JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
                #expect(answer["object"]?.stringValue == "chat.completion")
                #expect(answer["model"]?.stringValue == "anthropic:claude-sonnet-4-5")
                #expect(answer["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "Hi there")
                #expect(answer["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "stop")
                #expect(answer["usage"]?["prompt_tokens"]?.intValue == 7)
                let received = try #require(await recorder.requests.last)
                #expect(received.path == "/v1/messages")
                #expect(received.headers[HTTPField.Name("anthropic-version")!] == "2023-06-01")
                #expect(received.headers[HTTPField.Name("x-api-key")!] == "sk-ant-stored")
                #expect(received.headers[.acceptEncoding] == nil)
                #expect(received.headers[.authorization] == nil)
                let sent = try JSONValue(parsing: Data(received.body.utf8))
                #expect(sent["model"]?.stringValue == "claude-sonnet-4-5")
                #expect(sent["system"]?.stringValue == "Be brief")
                #expect(sent["messages"] == [["role": "user", "content": "hi"]])
                #expect(sent["seed"] == nil)
            }
        }
    }

    @Test("a translated stream reaches the client event by event: the first delta arrives while the upstream still holds the rest")
    func streamIsNotBuffered() async throws {
        try await self.withRouter { proxy, key, _, _, gate, _ in
            try await withTestClient { client in
                let json = #"{"model":"anthropic:claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#
                let response = try await client.execute(openAIRequest("\(proxy)/v1/model-router/chat/completions", json: json, key: key), timeout: .seconds(10))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
                var text = ""
                var opened = false
                for try await chunk in response.body {
                    text += String(buffer: chunk)
                    if !opened, text.contains(#""content":"Hi""#) {
                        opened = true
                        await gate.open()  // the upstream sends the rest only now
                    }
                }
                #expect(opened)
                let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.first?.contains(#""role":"assistant""#) == true)
                #expect(events.last == "data: [DONE]")
                #expect(text.contains(#""finish_reason":"stop""#))
                #expect(text.contains(#""prompt_tokens":7"#))
            }
        }
    }

    @Test("an upstream event past ARCHESTRA_MAX_STREAM_EVENT_BYTES ends the translated stream with an error event, even when it arrives whole")
    func eventPastTheLimit() async throws {
        try await self.withRouter { proxy, key, _, _, _, _ in
            try await withTestClient { client in
                let json = #"{"model":"anthropic:claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"huge"}]}"#
                let response = try await client.execute(openAIRequest("\(proxy)/v1/model-router/chat/completions", json: json, key: key), timeout: .seconds(10))
                #expect(response.status == .ok)
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                #expect(text.contains(#""role":"assistant""#), "\(text)")
                #expect(!text.contains("xxxx"), "the oversized event is never relayed")
                #expect(text.contains("size limit"), "\(text)")
                #expect(!text.contains("[DONE]"))
            }
        }
    }

    @Test("an upstream error keeps its status, retry-after and rate-limit headers, in OpenAI's shape")
    func upstreamErrorKeepsStatus() async throws {
        try await self.withRouter { proxy, key, _, _, _, _ in
            try await withTestClient { client in
                let json = #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"rate"}]}"#
                let response = try await client.execute(openAIRequest("\(proxy)/v1/model-router/chat/completions", json: json, key: key), timeout: .seconds(10))
                #expect(response.status == .tooManyRequests)
                #expect(response.headers.first(name: "retry-after") == "7")
                #expect(response.headers.first(name: "anthropic-ratelimit-requests-remaining") == "0")
                let error = try JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
                #expect(error["error"]?["type"]?.stringValue == "rate_limit_error")
                #expect(error["error"]?["message"]?.stringValue == "slow down")
            }
        }
    }

    @Test("refusals: raw key 401, no credential 401, unqualified 404, unknown provider 404, no key for the provider 400, plain profile 404, OAuth client not allowed 403, bad JSON 400")
    func refusals() async throws {
        try await self.withRouter { proxy, key, llmProxy, recorder, _, gateway in
            try await withTestClient { client in
                func status(_ json: String, key: String?, path: String = "/v1/model-router/chat/completions") async throws -> (Int, JSONValue) {
                    let response = try await client.execute(openAIRequest(proxy + path, json: json, key: key), timeout: .seconds(10))
                    return (Int(response.status.code), try JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 1 << 20))))
                }
                let chat = #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}"#
                let (raw, rawError) = try await status(chat, key: "sk-ant-raw")
                #expect(raw == 401 && rawError["error"]?["message"]?.stringValue?.contains("LLM OAuth client access token") == true)
                #expect(try await status(chat, key: nil).0 == 401)
                let (unqualified, unqualifiedError) = try await status(#"{"model":"gpt-4o","messages":[]}"#, key: key)
                #expect(unqualified == 404 && unqualifiedError["error"]?["code"]?.stringValue == "model_not_found")
                #expect(try await status(#"{"model":"nope:x","messages":[]}"#, key: key).0 == 404)
                let (noKey, noKeyError) = try await status(#"{"model":"cohere:command-a-03-2025","messages":[]}"#, key: key)
                #expect(noKey == 400 && noKeyError["error"]?["code"]?.stringValue == "no_provider_key")
                #expect(try await status(chat, key: key, path: "/v1/model-router/\(testProfileID.uuidString.lowercased())/chat/completions").0 == 404)
                #expect(try await status(#"{"model":"anthropic:claude","messages":"#, key: key).0 == 400)
                #expect(try await status(#"{"model":"anthropic:claude","messages":[{"role":"user","content":7}]}"#, key: key).0 == 400)

                let (oauth, secret) = try await gateway.store.createOAuthClient(OAuthClientDraft(allowedProfileIDs: []))
                let token = try #require(try await gateway.directory.issueAccessToken(clientID: oauth.clientID, secret: secret, scope: "llm:proxy", now: Date()))
                #expect(try await status(chat, key: token.value.exposedValue, path: "/v1/model-router/\(llmProxy.uuidString.lowercased())/chat/completions").0 == 403)
                #expect(await recorder.requests.isEmpty)
            }
        }
    }

    @Test("GET /models answers from the synced lists: the keys the credential maps, provider-qualified, sorted")
    func modelsFromStore() async throws {
        try await self.withRouter { proxy, key, _, _, _, gateway in
            let keys = try await gateway.store.providerKeys()
            let openAI = try #require(keys.first { $0.provider == "openai" })
            let anthropic = try #require(keys.first { $0.provider == "anthropic" })
            let cohere = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "cohere", secret: Secret("co")))
            let now = Date()
            try await gateway.store.saveModelList(ModelList(source: .providerKey(openAI.id), provider: "openai", models: [ListedModel(id: "gpt-4o", kind: .chat, created: 5), ListedModel(id: "text-embedding-3-small", kind: .embedding)], syncedAt: now))
            try await gateway.store.saveModelList(ModelList(source: .providerKey(anthropic.id), provider: "anthropic", models: [ListedModel(id: "claude-sonnet-4-5", kind: .chat)], syncedAt: now))
            try await gateway.store.saveModelList(ModelList(source: .providerKey(cohere.id), provider: "cohere", models: [ListedModel(id: "command-a-03-2025", kind: .chat)], syncedAt: now))
            try await withTestClient { client in
                var request = HTTPClientRequest(url: "\(proxy)/v1/model-router/models")
                request.headers.add(name: "authorization", value: "Bearer \(key)")
                let response = try await client.execute(request, timeout: .seconds(10))
                #expect(response.status == .ok)
                let list = try JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
                #expect(list["object"]?.stringValue == "list")
                let ids = list["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
                #expect(ids == ["anthropic:claude-sonnet-4-5", "openai:gpt-4o", "openai:text-embedding-3-small"])
                #expect(list["data"]?.arrayValue?.first { $0["id"]?.stringValue == "openai:gpt-4o" }?["created"]?.intValue == 5)

                var one = HTTPClientRequest(url: "\(proxy)/v1/model-router/models/openai:gpt-4o")
                one.headers.add(name: "authorization", value: "Bearer \(key)")
                let model = try await client.execute(one, timeout: .seconds(10))
                #expect(model.status == .ok)
                let object = try JSONValue(parsing: Data(buffer: try await model.body.collect(upTo: 1 << 20)))
                #expect(object["id"]?.stringValue == "openai:gpt-4o" && object["object"]?.stringValue == "model" && object["owned_by"]?.stringValue == "openai")
                var unreachable = HTTPClientRequest(url: "\(proxy)/v1/model-router/models/cohere:command-a-03-2025")
                unreachable.headers.add(name: "authorization", value: "Bearer \(key)")
                #expect(try await client.execute(unreachable, timeout: .seconds(10)).status == .notFound)
            }
        }
    }

    @Test("the synchronizer lists a new key from its provider, keeps the old list and records why when a sync fails")
    func synchronizer() async throws {
        let served = Recorder()
        try await withUpstream({ router in
            router.get("/v1/models") { request, _ -> Response in
                await served.add(Received(path: request.uri.path, headers: request.headers, body: ""))
                let failing = request.headers[HTTPField.Name("x-api-key")!] == "sk-bad"
                return Response(
                    status: failing ? .unauthorized : .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"data":[{"type":"model","id":"claude-sonnet-4-5"},{"type":"model","id":"claude-haiku-4-5"}],"has_more":false}"#)))
            }
        }) { port in
            try await withGatewayProxy(upstreamPort: port, environment: ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)"]) { _, gateway in
                let key = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret("sk-good")))
                let configuration = try ProxyConfiguration(environment: ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)"], host: "127.0.0.1", port: 0)
                try await HTTPClient.withHTTPClient { client in
                    let synchronizer = ModelListSynchronizer(store: gateway.store, providers: configuration.providers, httpClient: client, logger: .init(label: "test"))
                    await synchronizer.syncDue(now: Date())
                    var list = try #require(try await gateway.store.modelLists().first { $0.source == .providerKey(key.id) })
                    #expect(list.models.map(\.id) == ["claude-sonnet-4-5", "claude-haiku-4-5"] && list.error == nil)
                    let received = try #require(await served.requests.last)
                    #expect(received.headers[HTTPField.Name("x-api-key")!] == "sk-good")
                    #expect(received.headers[HTTPField.Name("anthropic-version")!] == "2023-06-01")

                    _ = try await gateway.store.updateProviderKey(id: key.id, ProviderKeyUpdate(secret: Secret("sk-bad")))
                    await synchronizer.syncDue(now: Date().addingTimeInterval(7200))
                    list = try #require(try await gateway.store.modelLists().first { $0.source == .providerKey(key.id) })
                    #expect(list.models.count == 2)
                    #expect(list.error == "the provider answered 401")

                    // A failed sync is retried within a minute, not after the whole interval.
                    _ = try await gateway.store.updateProviderKey(id: key.id, ProviderKeyUpdate(secret: Secret("sk-good")))
                    await synchronizer.syncDue(now: Date().addingTimeInterval(7200 + 30))
                    #expect(try await gateway.store.modelLists().first { $0.source == .providerKey(key.id) }?.error != nil)
                    await synchronizer.syncDue(now: Date().addingTimeInterval(7200 + 61))
                    #expect(try await gateway.store.modelLists().first { $0.source == .providerKey(key.id) }?.error == nil)
                }
            }
        }
    }
}
