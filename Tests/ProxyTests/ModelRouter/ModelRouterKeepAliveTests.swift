import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import NIOCore
import Proxy
import Testing
import WireFormats

/// A model-router stream whose tool call the policies hold: while the target is slow to finish,
/// the client's OpenAI stream carries `: keep-alive` comments (clients with stall watchdogs stay),
/// and the held call is then refused in OpenAI's shape.
@Suite(.timeLimit(.minutes(2)))
struct ModelRouterKeepAliveTests {
    static func upstream(gate: Gate) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.post("/v1/messages") { _, _ -> Response in
                let start = """
                    event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":7,"output_tokens":1}}}\n\n\
                    event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}\n\n\
                    event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":\\"Paris\\"}"}}\n\n
                    """
                let end = """
                    event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n\
                    event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}\n\n\
                    event: message_stop\ndata: {"type":"message_stop"}\n\n
                    """
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: start))
                        await gate.wait()
                        try await writer.write(ByteBuffer(string: end))
                        try await writer.finish(nil)
                    })
            }
        }
    }

    @Test("a held tool call keeps the client's stream alive with comments, then is refused with finish_reason stop")
    func keepAliveWhileHeld() async throws {
        let gate = Gate()
        try await withUpstream(Self.upstream(gate: gate)) { port in
            let environment = ["ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)", "ARCHESTRA_LLM_PROXY_STREAM_KEEPALIVE_INTERVAL_MS": "20"]
            try await withGatewayProxy(upstreamPort: port, environment: environment) { proxy, gateway in
                let anthropic = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret("sk-ant-stored")))
                let (_, key) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [anthropic.id]))
                let llmProxy = try await gateway.store.createProfile(ProfileDraft(name: "router", kind: .llmProxy))
                _ = try await gateway.store.createToolPolicy(
                    ToolPolicyDraft(kind: .toolInvocation, profileID: llmProxy.id, toolName: "get_weather", action: .blockAlways, reason: "no weather"))
                await gateway.directory.refreshIfChanged()
                let json = #"{"model":"anthropic:claude-haiku-4-5","stream":true,"messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]}"#
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest("\(proxy)/v1/model-router/\(llmProxy.id.uuidString.lowercased())/chat/completions", json: json, key: key.exposedValue),
                        timeout: .seconds(20))
                    #expect(response.status == .ok)
                    var received = ""
                    for try await chunk in response.body {
                        received += String(buffer: chunk)
                        // The target is still holding its last events: only comments can have come.
                        if received.contains(": keep-alive\n\n") { await gate.open() }
                    }
                    #expect(received.contains(": keep-alive\n\n"))
                    #expect(!received.contains("tool_calls"))
                    #expect(received.contains("no weather"))
                    #expect(received.contains(#""finish_reason":"stop""#))
                    #expect(received.hasSuffix("data: [DONE]\n\n"))
                }
            }
        }
    }
}
