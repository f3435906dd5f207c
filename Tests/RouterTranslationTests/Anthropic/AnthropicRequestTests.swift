import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Anthropic request translation")
struct AnthropicRequestTests {
    typealias Support = AnthropicTestSupport

    /// The golden matrix's request half: each scenario's exact upstream body, non-stream and
    /// stream (the stream variant differs only by `"stream": true`).
    struct Scenario: CustomTestStringConvertible, Sendable {
        let name: String
        let request: String
        let expected: String
        let dropped: [String]
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "text",
            request: #"{"model":"anthropic:claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}]}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":"Hello"}]}"#,
            dropped: []
        ),
        Scenario(
            name: "system",
            request: #"{"model":"m","messages":[{"role":"system","content":"Be terse."},{"role":"developer","content":[{"type":"text","text":"Answer in French."}]},{"role":"user","content":"Hello"}],"temperature":0.2,"max_tokens":100}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":100,"temperature":0.2,"system":[{"type":"text","text":"Be terse."},{"type":"text","text":"Answer in French."}],"messages":[{"role":"user","content":"Hello"}]}"#,
            dropped: []
        ),
        Scenario(
            name: "multi-turn",
            request: #"{"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello! How can I help?"},{"role":"user","content":[{"type":"text","text":"Tell me a joke"}]}],"stop":["END"],"top_p":0.9,"user":"u-1"}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"stop_sequences":["END"],"top_p":0.9,"metadata":{"user_id":"u-1"},"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello! How can I help?"},{"role":"user","content":"Tell me a joke"}]}"#,
            dropped: []
        ),
        Scenario(
            name: "tools",
            request: #"{"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},{"type":"function","function":{"name":"now"}}],"tool_choice":"required"}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},{"name":"now","input_schema":{"type":"object","properties":{}}}],"tool_choice":{"type":"any"}}"#,
            dropped: ["tools[].function.strict"]
        ),
        Scenario(
            name: "parallel tools",
            request: #"{"model":"m","messages":[{"role":"user","content":"Weather in Paris and Rome?"},{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},{"role":"tool","tool_call_id":"toolu_1","content":"18C"},{"role":"tool","tool_call_id":"toolu_2","content":"24C"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"parallel_tool_calls":false}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":"Weather in Paris and Rome?"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},{"type":"tool_result","tool_use_id":"toolu_2","content":"24C"}]}],"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true}}"#,
            dropped: []
        ),
        Scenario(
            name: "tool-result round trip",
            request: #"{"model":"m","messages":[{"role":"user","content":"What time is it?"},{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"call_9","type":"function","function":{"name":"now","arguments":""}}]},{"role":"tool","tool_call_id":"call_9","content":[{"type":"text","text":"12:00"}]},{"role":"user","content":"And in Tokyo?"}],"tools":[{"type":"function","function":{"name":"now","parameters":{"properties":{}}}}],"tool_choice":{"type":"function","function":{"name":"now"}}}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":"What time is it?"},{"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"call_9","name":"now","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_9","content":"12:00"},{"type":"text","text":"And in Tokyo?"}]}],"tools":[{"name":"now","input_schema":{"type":"object","properties":{}}}],"tool_choice":{"type":"tool","name":"now"}}"#,
            dropped: []
        ),
        Scenario(
            name: "usage",
            request: #"{"model":"m","messages":[{"role":"user","content":"Count"}],"stream_options":{"include_usage":true},"max_completion_tokens":50,"max_tokens":10}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"Count"}]}"#,
            dropped: []
        ),
        Scenario(
            name: "error",
            request: #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"seed":3,"logprobs":true,"frequency_penalty":0.5,"logit_bias":{"1":1}}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":"Hi"}]}"#,
            dropped: ["seed", "logprobs", "frequency_penalty", "logit_bias"]
        ),
        Scenario(
            name: "image",
            request: #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Compare"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}},{"type":"image_url","image_url":{"url":"data:image/bmp;base64,Qk0="}},{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}}]}]}"#,
            expected: #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":[{"type":"text","text":"Compare"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"a.pdf"}]}]}"#,
            dropped: ["image_url (image/bmp)", "audio"]
        ),
    ]

    @Test("golden matrix: the exact Anthropic body for each scenario", arguments: scenarios, [false, true])
    func goldenRequest(scenario: Scenario, stream: Bool) throws {
        var requestJSON = try Support.json(scenario.request)
        var expected = try Support.json(scenario.expected)
        if stream, case .object(var request) = requestJSON, case .object(var body) = expected {
            request["stream"] = true
            body["stream"] = true
            requestJSON = .object(request)
            expected = .object(body)
        }
        let (body, translated) = try Support.upstreamBody(TranslationJSON.text(of: requestJSON))
        #expect(body == expected)
        #expect(translated.operationPath == "/v1/messages")
        #expect(translated.isStreaming == stream)
        #expect(translated.dropped.map(\.kind) == scenario.dropped)
    }

    @Test("Bifrost #3511/#3512: an OpenAI tool request becomes exactly the tool shape Anthropic accepts")
    func bifrost3511ToolPayload() throws {
        // The shape OpenAI SDKs and agent clients send: `type: function` wrappers, `strict`,
        // a parameter-less tool, a schema without a top-level type.
        let (body, _) = try Support.upstreamBody(
            #"{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"auto","tools":[{"type":"function","function":{"name":"read_file","description":"Read","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],"additionalProperties":false},"strict":true}},{"type":"function","function":{"name":"list","parameters":{"properties":{"dir":{"type":"string"}}}}},{"type":"function","function":{"name":"ping"}}]}"#
        )
        let tools = try #require(body["tools"]?.arrayValue)
        #expect(tools.count == 3)
        for tool in tools {
            let object = try #require(tool.objectValue)
            // Only the keys Anthropic's custom tool takes: no `type: function`, `function`,
            // `parameters` or `strict` left over from the OpenAI shape.
            #expect(Set(object.keys).isSubset(of: ["name", "description", "input_schema"]))
            #expect(object["input_schema"]?["type"] == "object")
        }
        #expect(tools[0]["input_schema"]?["additionalProperties"] == false)
        #expect(body["tool_choice"] == ["type": "auto"])
    }

    static let toolChoices: [(String, JSONValue)] = [
        (#""required""#, ["type": "any"]),
        (#""none""#, ["type": "none"]),
        (#""auto""#, ["type": "auto"]),
        (#"{"type":"function","function":{"name":"f"}}"#, ["type": "tool", "name": "f"]),
    ]

    @Test("tool_choice maps required→any, none→none, named→tool, auto→auto", arguments: toolChoices)
    func toolChoiceMapping(choice: String, expected: JSONValue) throws {
        let (body, _) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":\#(choice)}"#)
        #expect(body["tool_choice"] == expected)
    }

    @Test("parallel_tool_calls false disables parallel use on a forced choice too, but not on none")
    func disableParallel() throws {
        let tools = #""tools":[{"type":"function","function":{"name":"f"}}],"parallel_tool_calls":false"#
        let (required, _) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],\#(tools),"tool_choice":"required"}"#)
        #expect(required["tool_choice"] == ["type": "any", "disable_parallel_tool_use": true])
        let (none, _) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],\#(tools),"tool_choice":"none"}"#)
        #expect(none["tool_choice"] == ["type": "none"])
    }

    @Test("max_tokens: 8192 when absent, 4096 for Claude 3 models whose ceiling is lower, the client's when set")
    func maxTokensDefault() throws {
        let hi = #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#
        #expect(try Support.upstreamBody(hi, model: "claude-sonnet-4-5-20250929").body["max_tokens"] == 8192)
        #expect(try Support.upstreamBody(hi, model: "claude-3-haiku-20240307").body["max_tokens"] == 4096)
        #expect(try Support.upstreamBody(hi, model: "claude-3-5-haiku-latest").body["max_tokens"] == 8192)
        #expect(try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":77}"#).body["max_tokens"] == 77)
    }

    @Test("tool messages after an assistant turn with several calls become one user message, and a user text after them joins it")
    func consecutiveToolMessagesMerge() throws {
        let (body, _) = try Support.upstreamBody(
            #"{"model":"m","messages":[{"role":"user","content":"go"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":"1"},{"role":"tool","tool_call_id":"b","content":"2"},{"role":"tool","tool_call_id":"c","content":[{"type":"text","text":"see"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"}}]},{"role":"user","content":"thanks"}],"tools":[{"type":"function","function":{"name":"f"}}]}"#
        )
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user"])
        let blocks = try #require(messages[2]["content"]?.arrayValue)
        #expect(blocks.map { $0["type"]?.stringValue } == ["tool_result", "tool_result", "tool_result", "text"])
        #expect(blocks.compactMap { $0["tool_use_id"]?.stringValue } == ["a", "b", "c"])
        #expect(blocks[2]["content"] == [["type": "text", "text": "see"], ["type": "image", "source": ["type": "base64", "media_type": "image/jpeg", "data": "/9j/"]]])
    }

    @Test("arguments that are not JSON are the client's 400, naming the field")
    func invalidArguments() throws {
        let request = try Support.request(#"{"model":"m","messages":[{"role":"user","content":"go"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}"#)
        #expect(throws: TranslationError.invalidRequest(field: "messages[1].tool_calls[0].function.arguments", message: "messages[1].tool_calls[0].function.arguments is not valid JSON: {not json")) {
            try Support.translator.upstreamRequest(for: request, model: "claude-sonnet-4-5")
        }
    }

    @Test("n > 1 is refused rather than answered with one choice")
    func severalChoicesRefused() throws {
        let request = try Support.request(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"n":2}"#)
        do {
            _ = try Support.translator.upstreamRequest(for: request, model: "claude-sonnet-4-5")
            Issue.record("n=2 was translated")
        } catch {
            #expect(error.status == 400)
        }
    }

    @Test("stop: whitespace-only sequences are dropped and reported, the others kept")
    func stopSequences() throws {
        let (body, translated) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["\n","%%%"]}"#)
        #expect(body["stop_sequences"] == ["%%%"])
        #expect(translated.dropped.map(\.kind) == ["stop (whitespace-only)"])
    }

    @Test("temperature above Anthropic's 1 is clamped; top_p is dropped beside temperature on models that refuse both")
    func samplingLimits() throws {
        let (clamped, droppedClamp) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":1.5}"#)
        #expect(clamped["temperature"] == 1)
        #expect(droppedClamp.dropped.map(\.kind) == ["temperature (above 1)"])
        let both = #"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"top_p":0.8}"#
        let (sonnet45, _) = try Support.upstreamBody(both, model: "claude-sonnet-4-5")
        #expect(sonnet45["top_p"] == nil && sonnet45["temperature"] == 0.5)
        let (sonnet4, _) = try Support.upstreamBody(both, model: "claude-sonnet-4-20250514")
        #expect(sonnet4["top_p"] == 0.8)
    }

    @Test("response_format json_schema becomes a forced tool whose schema is the answer's")
    func jsonSchemaForcedTool() throws {
        let (body, translated) = try Support.upstreamBody(
            #"{"model":"m","messages":[{"role":"user","content":"A city"}],"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]},"strict":true}}}"#
        )
        #expect(body["tools"] == [["name": "city", "description": "Respond with JSON matching this schema. The tool input is the answer.", "input_schema": ["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"]]]])
        #expect(body["tool_choice"] == ["type": "tool", "name": "city"])
        #expect(translated.dropped.isEmpty)
    }

    @Test("with client tools, a JSON answer is one tool among them: tool_choice any")
    func jsonSchemaWithClientTools() throws {
        let (body, _) = try Support.upstreamBody(
            #"{"model":"m","messages":[{"role":"user","content":"A city"}],"tools":[{"type":"function","function":{"name":"search"}}],"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object"}}}}"#
        )
        #expect(body["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["search", "city"])
        #expect(body["tool_choice"] == ["type": "any"])
    }

    @Test("a non-object schema is wrapped as the `value` property; json_object is a free-form object tool")
    func wrappedSchemas() throws {
        let (array, _) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"list","schema":{"type":"array","items":{"type":"string"}}}}}"#)
        #expect(array["tools"]?.arrayValue?.first?["input_schema"] == ["type": "object", "properties": ["value": ["type": "array", "items": ["type": "string"]]], "required": ["value"]])
        let (object, _) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}"#)
        #expect(object["tool_choice"] == ["type": "tool", "name": "json_response"])
    }

    @Test("reasoning_effort becomes a thinking budget on models that think, with room left for the answer")
    func reasoningEffortThinking() throws {
        let (body, translated) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"medium","temperature":0.3}"#, model: "claude-sonnet-4-5")
        #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 8192])
        #expect(body["max_tokens"] == 16384)
        #expect(body["temperature"] == nil)
        #expect(translated.dropped.map(\.kind) == ["temperature"])

        let (limited, _) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"high","max_completion_tokens":4000}"#, model: "claude-opus-4-1")
        #expect(limited["thinking"] == ["type": "enabled", "budget_tokens": 2000])
        #expect(limited["max_tokens"] == 4000)
    }

    @Test("reasoning_effort is dropped, with the reason, where Anthropic would refuse thinking", arguments: [
        (#""reasoning_effort":"low""#, "claude-3-5-haiku-20241022"),
        (#""reasoning_effort":"low","max_tokens":1000"#, "claude-sonnet-4-5"),
        (#""reasoning_effort":"low","tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required""#, "claude-sonnet-4-5"),
        (#""reasoning_effort":"low","response_format":{"type":"json_object"}"#, "claude-sonnet-4-5"),
    ])
    func reasoningEffortDropped(fields: String, model: String) throws {
        let (body, translated) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],\#(fields)}"#, model: model)
        #expect(body["thinking"] == nil)
        #expect(translated.dropped.map(\.kind) == ["reasoning_effort"])
    }

    @Test("mid tool loop, thinking is not enabled: Anthropic would demand signed thinking blocks OpenAI clients never send back")
    func reasoningEffortInToolLoop() throws {
        let (body, translated) = try Support.upstreamBody(
            #"{"model":"m","reasoning_effort":"low","tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"go"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":"1"}]}"#
        )
        #expect(body["thinking"] == nil)
        #expect(translated.dropped.map(\.kind) == ["reasoning_effort"])
    }

    @Test("reasoning_effort none asks for no thinking and drops nothing")
    func reasoningEffortNone() throws {
        let (body, translated) = try Support.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"none"}"#)
        #expect(body["thinking"] == nil && translated.dropped.isEmpty)
    }

    @Test("a file id, an unknown part and echoed reasoning are reported, a plain-text file becomes a text document")
    func otherPartsReported() throws {
        let (body, translated) = try Support.upstreamBody(
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}},{"type":"file","file":{"file_data":"data:text/plain;base64,aGVsbG8=","filename":"n.txt"}},{"type":"video_url","video_url":{"url":"x"}}]},{"role":"assistant","content":"ok","reasoning_content":"hmm"},{"role":"user","content":"next"}]}"#
        )
        #expect(body["messages"]?.arrayValue?.first?["content"] == [["type": "document", "source": ["type": "text", "media_type": "text/plain", "data": "hello"], "title": "n.txt"]])
        #expect(translated.dropped.map(\.kind) == ["file (file_id)", "video_url", "reasoning_content"])
    }

    @Test("a request of only system messages is refused: Anthropic needs a turn")
    func onlySystem() throws {
        let request = try Support.request(#"{"model":"m","messages":[{"role":"system","content":"x"}]}"#)
        #expect(throws: TranslationError.self) { try Support.translator.upstreamRequest(for: request, model: "claude-sonnet-4-5") }
    }

    @Test("model capabilities read both id forms")
    func capabilities() {
        #expect(AnthropicModelCapabilities(model: "claude-3-7-sonnet-20250219").supportsThinking)
        #expect(!AnthropicModelCapabilities(model: "claude-3-5-sonnet-20241022").supportsThinking)
        #expect(AnthropicModelCapabilities(model: "claude-haiku-4-5-20251001").maxOutputTokens == 64000)
        #expect(AnthropicModelCapabilities(model: "claude-opus-4-20250514").maxOutputTokens == 32000)
        #expect(!AnthropicModelCapabilities(model: "mystery").supportsThinking)
    }
}

@Suite("Anthropic request translation: history without tools")
struct AnthropicHistoryToolsTests {
    @Test("tool history sent without tools declares the called tools with tool_choice none (Anthropic refuses tool blocks without tools)")
    func historyWithoutTools() throws {
        let (body, translated) = try AnthropicTestSupport.upstreamBody(
            #"{"model":"m","messages":[{"role":"user","content":"go"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"lookup","arguments":"{\"q\":1}"}}]},{"role":"tool","tool_call_id":"a","content":"1"},{"role":"user","content":"summarise"}]}"#
        )
        #expect(body["tools"] == [["name": "lookup", "description": "Called earlier in this conversation; not callable now.", "input_schema": ["type": "object"]]])
        #expect(body["tool_choice"] == ["type": "none"])
        #expect(translated.dropped.isEmpty)
    }

    @Test("a conversation without tool blocks gets no tools")
    func plainHistory() throws {
        let (body, _) = try AnthropicTestSupport.upstreamBody(#"{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"},{"role":"user","content":"bye"}]}"#)
        #expect(body["tools"] == nil && body["tool_choice"] == nil)
    }
}
