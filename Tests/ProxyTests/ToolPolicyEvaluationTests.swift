import Foundation
import Gateway
import NIOCore
@testable import Proxy
import Testing
import WireFormats

/// The pure parts of the tool policies: evaluation order, conditions, and each dialect's reading
/// and refusing of its own wire.
@Suite("Tool policy evaluation")
struct ToolPolicyEvaluationTests {
    static func policy(
        _ kind: ToolPolicyKind, _ tool: String, _ action: ToolPolicyAction, _ conditions: [ToolPolicyCondition] = [], reason: String? = nil
    ) -> ToolPolicy {
        ToolPolicy(id: UUID(), kind: kind, profileID: nil, toolName: tool, conditions: conditions, action: action, reason: reason, createdAt: Date())
    }

    static func evaluator(_ policies: [ToolPolicy]) -> ToolPolicyEvaluator {
        ToolPolicyEvaluator(policies: ToolPolicySet(policies: policies, profileID: UUID()))
    }

    // MARK: Order

    @Test("invocation: a matching specific block beats an earlier matching specific allow; default next; no policy blocks only when untrusted")
    func invocationOrder() {
        let prod = ToolPolicyCondition(key: "repo", operator: .startsWith, value: "prod-")
        let evaluator = Self.evaluator([
            Self.policy(.toolInvocation, "delete", .allowWhenContextIsUntrusted, [prod]),
            Self.policy(.toolInvocation, "delete", .blockAlways, [prod], reason: "prod is sacred"),
            Self.policy(.toolInvocation, "delete", .blockWhenContextIsUntrusted, reason: "default"),
            Self.policy(.toolInvocation, "read", .requireApproval),
        ])
        let prodCall = ObservedToolCall(name: "delete", argumentsText: #"{"repo":"prod-api"}"#)
        let devCall = ObservedToolCall(name: "delete", argumentsText: #"{"repo":"dev-api"}"#)
        #expect(evaluator.verdict(for: prodCall, contextIsUntrusted: false) == .blocked(reason: "prod is sacred"))
        #expect(evaluator.verdict(for: devCall, contextIsUntrusted: false) == .allowed)
        #expect(evaluator.verdict(for: devCall, contextIsUntrusted: true) == .blocked(reason: "default"))
        #expect(evaluator.verdict(for: ObservedToolCall(name: "read", arguments: [:]), contextIsUntrusted: true) == .allowed)
        #expect(evaluator.verdict(for: ObservedToolCall(name: "other", arguments: [:]), contextIsUntrusted: false) == .allowed)
        #expect(evaluator.verdict(for: ObservedToolCall(name: "other", arguments: [:]), contextIsUntrusted: true) == .blocked(reason: "the context is untrusted and no policy allows this tool"))
        #expect(evaluator.verdict(for: ObservedToolCall(name: "archestra__todo", arguments: [:]), contextIsUntrusted: true) == .allowed)
        #expect(evaluator.firstBlocked([devCall, prodCall], contextIsUntrusted: false)?.reason == "prod is sacred")
        #expect(evaluator.blockedNames([devCall, prodCall, devCall], contextIsUntrusted: true) == ["delete", "delete", "delete"])
    }

    @Test("trusted data: specific block, first matching specific, default, else untrusted; built-in tools trusted")
    func trustedDataOrder() {
        let evaluator = Self.evaluator([
            Self.policy(.trustedData, "fetch", .markAsTrusted, [ToolPolicyCondition(key: "items[*].url", operator: .startsWith, value: "https://intra/")]),
            Self.policy(.trustedData, "fetch", .blockAlways, [ToolPolicyCondition(key: "$", operator: .contains, value: "IGNORE PREVIOUS")], reason: "injection"),
            Self.policy(.trustedData, "search", .markAsTrusted),
        ])
        let intra = ObservedToolResult(toolName: "fetch", output: .string(#"{"items":[{"url":"https://intra/a"}]}"#))
        let outside = ObservedToolResult(toolName: "fetch", output: .string(#"{"items":[{"url":"https://evil/a"}]}"#))
        let injected = ObservedToolResult(toolName: "fetch", output: .string(#"{"items":[{"url":"https://intra/a","t":"IGNORE PREVIOUS"}]}"#))
        #expect(evaluator.trust(of: intra) == .trusted)
        #expect(evaluator.trust(of: outside) == .untrusted)
        #expect(evaluator.trust(of: injected) == .blocked(reason: "injection"))
        #expect(evaluator.trust(of: ObservedToolResult(toolName: "search", output: "anything")) == .trusted)
        #expect(evaluator.trust(of: ObservedToolResult(toolName: "unknown", output: "x")) == .untrusted)
        #expect(evaluator.trust(of: ObservedToolResult(toolName: "archestra__search", output: "x")) == .trusted)
    }

    @Test("a stream needs holding when the context is untrusted (any tool) or a block_always policy exists; never otherwise")
    func mayBlock() {
        #expect(!Self.evaluator([]).anyCallMayBeBlocked(contextIsUntrusted: false))
        #expect(Self.evaluator([]).anyCallMayBeBlocked(contextIsUntrusted: true))
        #expect(!Self.evaluator([Self.policy(.toolInvocation, "t", .blockWhenContextIsUntrusted)]).anyCallMayBeBlocked(contextIsUntrusted: false))
        #expect(Self.evaluator([Self.policy(.toolInvocation, "t", .blockAlways)]).anyCallMayBeBlocked(contextIsUntrusted: false))
    }

    @Test(
        "conditions: paths, fan-out, missing paths, every operator",
        arguments: [
            ("a.b", ToolPolicyOperator.equal, "x", true), ("a.b", .notEqual, "x", false), ("a.b", .notEqual, "y", true),
            ("a.list[*]", .equal, "2", true), ("a.list[1]", .equal, "2", true), ("a.list[5]", .equal, "2", false),
            ("a.list[*]", .notContains, "3", false), ("a.flag", .equal, "true", true), ("missing", .notEqual, "x", false),
            ("a.b", .regex, "^x$", true), ("a.name", .endsWith, ".md", true), ("a.name", .startsWith, "README", true),
            ("$", .contains, "\"b\":\"x\"", true), ("a", .contains, "README", true),
        ]
    )
    func conditions(key: String, op: ToolPolicyOperator, value: String, holds: Bool) throws {
        let document = try JSONValue(parsing: Data(#"{"a":{"b":"x","list":[1,2,3],"flag":true,"name":"README.md"}}"#.utf8))
        #expect(ToolPolicyConditionMatcher.holds(ToolPolicyCondition(key: key, operator: op, value: value), on: document) == holds)
    }

    // MARK: Each dialect's wire

    static let refusal = ToolRefusal(call: ObservedToolCall(name: "get_weather", argumentsText: #"{"city":"Paris"}"#), reason: "no")

    static func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    @Test("OpenAI chat: tool results named through the assistant's calls; calls read; the refusal replaces them with stop")
    func openAIChat() throws {
        let format = OpenAIChatToolTraffic()
        var request = try Self.json(
            #"{"messages":[{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"fetch","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"{\"a\":1}"}]}]}"#)
        var seen: [ObservedToolResult] = []
        format.visitToolResults(in: &request) { seen.append($0); return "blocked" }
        #expect(seen == [ObservedToolResult(toolName: "fetch", output: ["a": 1])])
        #expect(request["messages"]?.arrayValue?[1]["content"] == "blocked")
        let answer = try Self.json(
            #"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1}}"#)
        #expect(format.toolCalls(inResponse: answer) == [ObservedToolCall(name: "get_weather", arguments: ["city": "Paris"])])
        let refused = format.refusing(answer, with: Self.refusal)
        #expect(refused["choices"]?.arrayValue?[0]["finish_reason"] == "stop")
        #expect(refused["choices"]?.arrayValue?[0]["message"]?["tool_calls"] == nil)
        #expect(refused["choices"]?.arrayValue?[0]["message"]?["content"]?.stringValue == Self.refusal.content)
        #expect(refused["usage"] == answer["usage"])
        #expect(Self.refusal.content.hasPrefix(#"Archestra LLM Proxy blocked unsafe tool call: get_weather with arguments: {"city":"Paris"}."#))
    }

    @Test("Responses: function_call items removed; a message with a refusal part (tagged) and an output_text part")
    func responses() throws {
        let format = OpenAIResponsesToolTraffic()
        let answer = try Self.json(#"{"id":"resp_1","status":"completed","output":[{"type":"function_call","call_id":"c","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]}"#)
        #expect(format.toolCalls(inResponse: answer).map(\.name) == ["get_weather"])
        let refused = format.refusing(answer, with: Self.refusal)
        let output = try #require(refused["output"]?.arrayValue)
        #expect(output.count == 1 && output[0]["type"] == "message")
        #expect(output[0]["content"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" } == ["refusal", "output_text"])
        #expect(output[0]["content"]?.arrayValue?[0]["refusal"]?.stringValue?.hasPrefix("<archestra-tool-name>get_weather</archestra-tool-name>") == true)
    }

    @Test("Anthropic, Gemini, Bedrock, Cohere: calls read and refused in their own shapes")
    func nativeShapes() throws {
        let anthropic = try Self.json(#"{"content":[{"type":"text","text":"Let me"},{"type":"tool_use","id":"t","name":"get_weather","input":{"city":"Paris"}}],"stop_reason":"tool_use"}"#)
        #expect(AnthropicToolTraffic().toolCalls(inResponse: anthropic) == [ObservedToolCall(name: "get_weather", arguments: ["city": "Paris"])])
        let refusedAnthropic = AnthropicToolTraffic().refusing(anthropic, with: Self.refusal)
        #expect(refusedAnthropic["stop_reason"] == "end_turn")
        #expect(refusedAnthropic["content"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" } == ["text", "text"])

        let gemini = try Self.json(#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP"}]}"#)
        #expect(GeminiToolTraffic().toolCalls(inResponse: gemini).map(\.name) == ["get_weather"])
        let refusedGemini = GeminiToolTraffic().refusing(gemini, with: Self.refusal)
        #expect(refusedGemini["candidates"]?.arrayValue?[0]["content"]?["parts"] == [["text": .string(Self.refusal.content)]])

        let bedrock = try Self.json(#"{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"t","name":"get_weather","input":{"city":"Paris"}}}]}},"stopReason":"tool_use","usage":{"inputTokens":1}}"#)
        #expect(BedrockToolTraffic().toolCalls(inResponse: bedrock).map(\.name) == ["get_weather"])
        let refusedBedrock = BedrockToolTraffic().refusing(bedrock, with: Self.refusal)
        #expect(refusedBedrock["stopReason"] == "end_turn")
        #expect(refusedBedrock["output"]?["message"]?["content"] == [["text": .string(Self.refusal.content)]])

        let cohere = try Self.json(#"{"message":{"role":"assistant","tool_plan":"I will","tool_calls":[{"id":"t","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"TOOL_CALL"}"#)
        #expect(CohereToolTraffic().toolCalls(inResponse: cohere) == [ObservedToolCall(name: "get_weather", arguments: ["city": "Paris"])])
        let refusedCohere = CohereToolTraffic().refusing(cohere, with: Self.refusal)
        #expect(refusedCohere["finish_reason"] == "COMPLETE" && refusedCohere["message"]?["tool_calls"] == nil && refusedCohere["message"]?["tool_plan"] == nil)
    }

    @Test("Ollama's native chat: results named by tool_name or by position; object arguments read; the refusal replaces the calls with stop")
    func ollamaChat() throws {
        let format = try #require(ToolTraffic.format(for: OpenAIDialect(), operationPath: "/api/chat"))
        var request = try Self.json(
            #"{"model":"llama3.2","messages":[{"role":"assistant","content":"","tool_calls":[{"function":{"name":"fetch","arguments":{}}},{"function":{"name":"read","arguments":{}}}]},{"role":"tool","content":"{\"a\":1}"},{"role":"tool","tool_name":"read","content":"secret"}]}"#)
        var seen: [ObservedToolResult] = []
        format.visitToolResults(in: &request) { seen.append($0); return $0.toolName == "read" ? "blocked" : nil }
        #expect(seen == [ObservedToolResult(toolName: "fetch", output: ["a": 1]), ObservedToolResult(toolName: "read", output: "secret")])
        #expect(request["messages"]?.arrayValue?[2]["content"] == "blocked")
        #expect(request["messages"]?.arrayValue?[1]["content"] == #"{"a":1}"#)

        let answer = try Self.json(
            #"{"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":true,"done_reason":"stop","eval_count":3}"#)
        #expect(format.toolCalls(inResponse: answer) == [ObservedToolCall(name: "get_weather", arguments: ["city": "Paris"])])
        let refused = format.refusing(answer, with: Self.refusal)
        #expect(refused["message"]?["tool_calls"] == nil)
        #expect(refused["message"]?["content"]?.stringValue == Self.refusal.content)
        #expect(refused["done_reason"] == "stop" && refused["eval_count"] == 3)
    }

    @Test("Ollama stream (JSON lines): text live, the call line held; blocked → a refusal line, then the done line with stop")
    func ollamaGate() throws {
        let lines = [
            #"{"model":"m","created_at":"t","message":{"role":"assistant","content":"Hi"},"done":false}"#,
            #"{"model":"m","created_at":"t","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":false}"#,
            #"{"model":"m","created_at":"t","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":1}"#,
        ].map { ByteBuffer(string: $0 + "\n") }
        let inspector = try #require(OllamaChatToolTraffic().makeStreamInspector())
        let allow = Self.evaluator([Self.policy(.toolInvocation, "get_weather", .allowWhenContextIsUntrusted)])
        var allowed = ToolCallStreamGate(inspector: inspector, evaluator: allow, contextIsUntrusted: true)
        let passed = Self.run(&allowed, lines)
        #expect(passed.live == [lines[0]])
        #expect(passed.live + passed.end == lines)

        let block = Self.evaluator([Self.policy(.toolInvocation, "get_weather", .blockAlways, reason: "no")])
        var blocked = ToolCallStreamGate(inspector: inspector, evaluator: block, contextIsUntrusted: false)
        let refused = Self.run(&blocked, lines)
        #expect(refused.live == [lines[0]])
        #expect(refused.tally.blockedToolCalls == ["get_weather"])
        #expect(refused.end.count == 2)
        let refusalLine = try JSONValue(parsing: Data(buffer: refused.end[0]))
        #expect(refusalLine["message"]?["content"]?.stringValue == Self.refusal.content && refusalLine["done"] == false && refusalLine["model"] == "m")
        let done = try JSONValue(parsing: Data(buffer: refused.end[1]))
        #expect(done["done"] == true && done["done_reason"] == "stop" && done["eval_count"] == 1)
        #expect(refused.end.allSatisfy { String(buffer: $0).hasSuffix("}\n") && !String(buffer: $0).contains("tool_calls") })
    }

    @Test("the byte search that spares a parse: the marker, or any \\u escape that could spell it, means parse")
    func resultMarker() {
        let marker = AnthropicToolTraffic().toolResultMarker
        #expect(!ToolPolicyStep.mayCarryToolResults(ByteBuffer(string: #"{"messages":[{"role":"user","content":"hi"}]}"#), marker: marker))
        #expect(ToolPolicyStep.mayCarryToolResults(ByteBuffer(string: #"{"content":[{"type":"tool_result"}]}"#), marker: marker))
        #expect(ToolPolicyStep.mayCarryToolResults(ByteBuffer(string: #"{"content":[{"type":"tool\u005fresult"}]}"#), marker: marker))
    }

    // MARK: The stream gate

    static func sse(_ json: String) -> ByteBuffer { ByteBuffer(string: "data: \(json)\n\n") }

    static let openAIStream = [
        Self.sse(#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}"#),
        Self.sse(#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"t","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}"#),
        Self.sse(#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":null}]}"#),
        Self.sse(#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
        Self.sse(#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#),
        ByteBuffer(string: "data: [DONE]\n\n"),
    ]

    static func run(_ gate: inout some StreamMessageFilter, _ messages: [ByteBuffer]) -> (live: [ByteBuffer], end: [ByteBuffer], tally: RelayTally) {
        var live: [ByteBuffer] = []
        for message in messages { gate.filter(message, into: &live) }
        var end: [ByteBuffer] = []
        var tally = RelayTally()
        gate.finish(into: &end, tally: &tally)
        return (live, end, tally)
    }

    @Test("OpenAI stream: text live, the call held; allowed → flushed unchanged; blocked → refusal, stop, usage, [DONE]")
    func openAIGate() throws {
        let allow = Self.evaluator([Self.policy(.toolInvocation, "get_weather", .allowWhenContextIsUntrusted)])
        var allowed = ToolCallStreamGate(inspector: OpenAIChatToolTraffic.Inspector(), evaluator: allow, contextIsUntrusted: true)
        let passed = Self.run(&allowed, Self.openAIStream)
        #expect(passed.live == [Self.openAIStream[0]])
        #expect(passed.live + passed.end == Self.openAIStream)
        #expect(passed.tally.blockedToolCalls == [])

        let block = Self.evaluator([Self.policy(.toolInvocation, "get_weather", .blockAlways, reason: "no")])
        var blocked = ToolCallStreamGate(inspector: OpenAIChatToolTraffic.Inspector(), evaluator: block, contextIsUntrusted: false)
        let refused = Self.run(&blocked, Self.openAIStream)
        #expect(refused.live == [Self.openAIStream[0]])
        #expect(refused.tally.blockedToolCalls == ["get_weather"])
        let events = refused.end.map { SSEEvent(parsing: $0).data }
        #expect(events.count == 4 && events.last == "[DONE]")
        let content = try Self.json(events[0])
        #expect(content["choices"]?.arrayValue?[0]["delta"]?["content"]?.stringValue == Self.refusal.content)
        #expect(content["id"] == "c" && content["model"] == "m")
        #expect(try Self.json(events[1])["choices"]?.arrayValue?[0]["finish_reason"] == "stop")
        #expect(try Self.json(events[2])["usage"]?["total_tokens"] == 3)
        #expect(!events.joined().contains("tool_calls"))
    }

    @Test("Anthropic stream: the refusal takes the dropped tool block's index; message_delta says end_turn")
    func anthropicGate() throws {
        func event(_ name: String, _ json: String) -> ByteBuffer { ByteBuffer(string: "event: \(name)\ndata: \(json)\n\n") }
        let stream = [
            event("message_start", #"{"type":"message_start","message":{"id":"m","content":[]}}"#),
            event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#),
            event("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            event("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"get_weather","input":{}}}"#),
            event("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}"#),
            event("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
            event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}"#),
            event("message_stop", #"{"type":"message_stop"}"#),
        ]
        var gate = ToolCallStreamGate(
            inspector: AnthropicToolTraffic.Inspector(), evaluator: Self.evaluator([Self.policy(.toolInvocation, "get_weather", .blockAlways, reason: "no")]),
            contextIsUntrusted: false)
        let result = Self.run(&gate, stream)
        #expect(result.live == Array(stream[0..<4]))
        let events = result.end.map { try? Self.json(SSEEvent(parsing: $0).data) }
        #expect(events.map { $0?["type"]?.stringValue ?? "" } == ["content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"])
        #expect(events[0]?["index"] == 1 && events[1]?["delta"]?["text"]?.stringValue == Self.refusal.content)
        #expect(events[3]?["delta"]?["stop_reason"] == "end_turn" && events[3]?["usage"]?["output_tokens"] == 5)
    }

    @Test("a chain of filters: each sees what the one before let through, finish included")
    func chain() {
        struct DropEvery: StreamMessageFilter {
            var isHolding: Bool { false }
            func filter(_ message: ByteBuffer, into output: inout [ByteBuffer]) {
                if !String(buffer: message).contains("usage") { output.append(message) }
            }
            func finish(into output: inout [ByteBuffer], tally: inout RelayTally) {}
        }
        let allow = Self.evaluator([Self.policy(.toolInvocation, "get_weather", .allowWhenContextIsUntrusted)])
        var chain = StreamMessageFilterChain(filters: [
            ToolCallStreamGate(inspector: OpenAIChatToolTraffic.Inspector(), evaluator: allow, contextIsUntrusted: true), DropEvery(),
        ])
        var live: [ByteBuffer] = []
        for message in Self.openAIStream { chain.filter(message, into: &live) }
        #expect(chain.isHolding)
        var end: [ByteBuffer] = []
        var tally = RelayTally()
        chain.finish(into: &end, tally: &tally)
        #expect(live + end == Self.openAIStream.filter { !String(buffer: $0).contains("usage") })
        #expect(!chain.isHolding)
    }
}
