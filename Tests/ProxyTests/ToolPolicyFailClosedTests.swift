import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import NIOCore
import Proxy
import Synchronization
import Testing
import WireFormats

/// A body the tool policies cannot parse is refused, never forwarded with its tool results
/// unjudged: the summariser reads only `model` and `stream`, so such a body gets this far (the
/// summarisers fuzz target found two: a raw TAB and a bad escape in strings nobody else reads).
@Suite(.timeLimit(.minutes(2)))
struct ToolPolicyFailClosedTests {
    /// An OpenAI chat request with a tool result; `description` holds `badString` verbatim.
    static func body(description badString: String) -> String {
        #"{"model":"gpt-4o","messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}],"tools":[{"type":"function","function":{"name":"get_weather","description":""#
            + badString + #"","parameters":{"type":"object","properties":{}}}}]}"#
    }

    @Test(
        "a tool result in a body that is not JSON beyond model and stream: 400 invalid_json, nothing upstream; the same body valid passes",
        arguments: ["\tThe city name.", #"t\xt"#])
    func refusesWhatItCannotRead(badString: String) async throws {
        let upstream = SpendLimitTests.Upstream()
        try await SpendLimitTests().withLimitProxy(upstream) { proxy, gateway, client in
            let profile = try await gateway.store.createProfile(ProfileDraft(name: "guarded", kind: .profile))
            _ = try await gateway.store.createToolPolicy(
                ToolPolicyDraft(kind: .trustedData, profileID: profile.id, toolName: "get_weather", action: .markAsUntrusted))
            await gateway.directory.refreshIfChanged()
            let url = "\(proxy)/v1/openai/\(profile.id.uuidString.lowercased())/chat/completions"

            let refused = try await client.execute(
                nativeRequest(url, json: Self.body(description: badString), headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
            let text = try await refused.bodyText()
            #expect(refused.status == .badRequest)
            #expect(text.contains("invalid_json"), "\(text)")
            #expect(upstream.calls.load(ordering: .relaxed) == 0)

            let valid = try await client.execute(
                nativeRequest(url, json: Self.body(description: "The city name."), headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
            _ = try await valid.bodyText()
            #expect(valid.status == .ok)
            #expect(upstream.calls.load(ordering: .relaxed) == 1)
        }
    }

    /// APIs no tool-traffic format reads: Cohere's v1 chat, Bedrock's InvokeModel (a model's own
    /// body, here Anthropic's Messages with a tool result).
    static let unreadApis = [
        (path: "/v1/cohere/{profile}/v1/chat", json: #"{"model":"command-r","message":"weather?","tools":[{"name":"get_weather","description":"d","parameter_definitions":{}}]}"#),
        (path: "/v1/bedrock/{profile}/model/anthropic.claude-3-haiku-20240307-v1:0/invoke",
         json: #"{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"secret"}]}]}"#),
    ]

    @Test("tools on an API the policies cannot read are refused when policies apply, and pass when none do; the same API without tools passes")
    func unreadApisFailClosed() async throws {
        let calls = Atomic<Int>(0)
        try await withUpstream({ router in
            for path in ["/v1/chat", "/model/{id}/invoke"] {
                router.post(RouterPath(path)) { _, _ in
                    calls.add(1, ordering: .relaxed)
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
                }
            }
        }) { port in
            let environment = ["ARCHESTRA_COHERE_BASE_URL": "http://127.0.0.1:\(port)", "ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(port)"]
            try await withGatewayProxy(upstreamPort: port, environment: environment) { proxy, gateway in
                let guarded = try await gateway.store.createProfile(ProfileDraft(name: "guarded", kind: .profile))
                _ = try await gateway.store.createToolPolicy(ToolPolicyDraft(kind: .toolInvocation, profileID: guarded.id, toolName: "get_weather", action: .blockAlways))
                let open = try await gateway.store.createProfile(ProfileDraft(name: "open", kind: .profile))
                await gateway.directory.refreshIfChanged()
                try await withTestClient { client in
                    for api in Self.unreadApis {
                        func send(_ profile: UUID, _ json: String) async throws -> (Int, String) {
                            let url = proxy + api.path.replacingOccurrences(of: "{profile}", with: profile.uuidString.lowercased())
                            let response = try await client.execute(nativeRequest(url, json: json, headers: [("authorization", "Bearer k")]), timeout: .seconds(10))
                            return (Int(response.status.code), try await response.bodyText())
                        }
                        let before = calls.load(ordering: .relaxed)
                        let (status, text) = try await send(guarded.id, api.json)
                        #expect(status == 400, "\(api.path): \(text)")
                        #expect(text.contains("cannot read tool calls"), "\(text)")
                        #expect(calls.load(ordering: .relaxed) == before, "\(api.path): nothing went upstream")
                        #expect(try await send(open.id, api.json).0 == 200, "\(api.path): no policy, no refusal")
                        let withoutTools = api.json.replacingOccurrences(of: "tool", with: "text")
                        #expect(try await send(guarded.id, withoutTools).0 == 200, "\(api.path): no tools, no refusal")
                    }
                }
            }
        }
    }
}
