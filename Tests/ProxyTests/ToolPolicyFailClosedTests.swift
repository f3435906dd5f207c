import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import Proxy
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
}
