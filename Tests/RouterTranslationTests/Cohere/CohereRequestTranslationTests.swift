import Foundation
import WireFormats
import Testing

@testable import RouterTranslation

@Suite("OpenAI chat → Cohere v2 chat request")
struct CohereRequestTranslationTests {
    let translator = CohereChatTranslator(identities: .fixed())

    func translate(_ json: String, model: String = "command-a-03-2025") throws -> TranslatedRequest {
        let request = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(json.utf8))
        return try translator.upstreamRequest(for: request, model: model)
    }

    @Test("text: one user message, path /v2/chat, stream sent explicitly")
    func text() throws {
        let translated = try translate(#"{"model":"cohere:command-a-03-2025","messages":[{"role":"user","content":"Hello"}]}"#)
        #expect(translated.operationPath == "/v2/chat")
        #expect(translated.isStreaming == false)
        #expect(translated.dropped.isEmpty)
        #expect(try StructuralJSON.parse(translated.body) == StructuralJSON.parse(#"""
            {"model":"command-a-03-2025","messages":[{"role":"user","content":"Hello"}],"stream":false}
            """#))
    }

    @Test("system and developer messages stay system messages, in place; multi-turn keeps its order")
    func systemAndMultiTurn() throws {
        let translated = try translate(#"""
            {"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":"Bonjour."},
              {"role":"user","content":"And again?"}]}
            """#)
        #expect(translated.isStreaming)
        #expect(try StructuralJSON.parse(translated.body) == StructuralJSON.parse(#"""
            {"model":"command-a-03-2025","stream":true,"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"system","content":"Answer in French."},
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":"Bonjour."},
              {"role":"user","content":"And again?"}]}
            """#))
    }

    @Test("sampling: stop → stop_sequences, top_p → p, max_completion_tokens wins over max_tokens, seed, penalties")
    func sampling() throws {
        let translated = try translate(#"""
            {"model":"m","messages":[{"role":"user","content":"x"}],"stop":"END","temperature":0.25,"top_p":0.5,
             "max_tokens":10,"max_completion_tokens":20,"seed":7,"frequency_penalty":0.5,"presence_penalty":0.25}
            """#)
        #expect(try StructuralJSON.parse(translated.body) == StructuralJSON.parse(#"""
            {"model":"command-a-03-2025","messages":[{"role":"user","content":"x"}],"stream":false,
             "stop_sequences":["END"],"temperature":0.25,"p":0.5,"max_tokens":20,"seed":7,
             "frequency_penalty":0.5,"presence_penalty":0.25}
            """#))
    }

    static let weatherTool = #"{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}"#
    static let timeTool = #"{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}"#

    @Test("tool_choice: auto is omitted, required → REQUIRED, none → NONE", arguments: [
        (#""auto""#, nil as String?), (#""required""#, "REQUIRED"), (#""none""#, "NONE"),
    ])
    func toolChoice(choice: String, expected: String?) throws {
        let translated = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[\#(Self.weatherTool),\#(Self.timeTool)],"tool_choice":\#(choice)}"#)
        let body = try StructuralJSON.parse(translated.body)
        #expect(body["tool_choice"]?.stringValue == expected)
        #expect(body["tools"]?.arrayValue?.count == 2)
        #expect(translated.dropped.isEmpty)
    }

    @Test("tools pass through in Cohere's shape (Bifrost #3511: tool translation must not break tool requests)")
    func tools() throws {
        let translated = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[\#(Self.weatherTool)]}"#)
        #expect(try StructuralJSON.parse(translated.body)["tools"] == StructuralJSON.parse("[\(Self.weatherTool)]"))
    }

    @Test("named tool_choice: Cohere has none, so REQUIRED with only the named tool, and it is reported")
    func namedToolChoice() throws {
        let translated = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[\#(Self.weatherTool),\#(Self.timeTool)],"tool_choice":{"type":"function","function":{"name":"get_time"}}}"#)
        let body = try StructuralJSON.parse(translated.body)
        #expect(body["tool_choice"] == "REQUIRED")
        #expect(try body["tools"] == StructuralJSON.parse("[\(Self.timeTool)]"))
        #expect(translated.dropped.map(\.kind) == ["tool_choice (named)"])
    }

    @Test("named tool_choice naming no declared tool is the client's error (400)")
    func namedToolChoiceUnknown() throws {
        #expect(throws: TranslationError.self) {
            try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[\#(Self.weatherTool)],"tool_choice":{"type":"function","function":{"name":"nope"}}}"#)
        }
    }

    @Test("strict: all tools strict → strict_tools; some strict → reported")
    func strictTools() throws {
        let all = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a","strict":true}},{"type":"function","function":{"name":"b","strict":true}}]}"#)
        #expect(try StructuralJSON.parse(all.body)["strict_tools"] == true)
        let some = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a","strict":true}},{"type":"function","function":{"name":"b"}}]}"#)
        #expect(try StructuralJSON.parse(some.body)["strict_tools"] == nil)
        #expect(some.dropped.map(\.kind) == ["tools[].strict"])
    }

    @Test("tool-result round trip: parallel assistant tool_calls pass through, tool messages keep tool_call_id, echoed reasoning becomes tool_plan")
    func toolResultRoundTrip() throws {
        let translated = try translate(#"""
            {"model":"m","messages":[
              {"role":"user","content":"Weather and time in Paris?"},
              {"role":"assistant","content":null,"reasoning_content":"I will call both tools.","tool_calls":[
                {"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"get_time_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"get_weather_1","content":"18C"},
              {"role":"tool","tool_call_id":"get_time_2","content":[{"type":"text","text":"12:00"}]}],
             "tools":[\#(Self.weatherTool),\#(Self.timeTool)]}
            """#)
        let body = try StructuralJSON.parse(translated.body)
        #expect(try body["messages"] == StructuralJSON.parse(#"""
            [{"role":"user","content":"Weather and time in Paris?"},
             {"role":"assistant","tool_plan":"I will call both tools.","tool_calls":[
               {"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"get_time_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"get_weather_1","content":"18C"},
             {"role":"tool","tool_call_id":"get_time_2","content":"12:00"}]
            """#))
        #expect(translated.dropped.isEmpty)
    }

    @Test("a tool message without tool_call_id is rejected, not sent")
    func toolMessageWithoutID() throws {
        #expect(throws: TranslationError.self) {
            try translate(#"{"model":"m","messages":[{"role":"tool","content":"18C"}]}"#)
        }
    }

    @Test("images: data: and https URLs become image_url parts; audio and files are dropped and reported")
    func images() throws {
        let translated = try translate(#"""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
              {"type":"image_url","image_url":{"url":"ftp://example.com/cat.jpg"}},
              {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
              {"type":"file","file":{"file_id":"file-1"}}]}]}
            """#)
        #expect(try StructuralJSON.parse(translated.body)["messages"] == StructuralJSON.parse(#"""
            [{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]
            """#))
        #expect(translated.dropped.map(\.kind) == ["image_url (unsupported URL)", "input_audio", "file"])
    }

    @Test("response_format: json_schema → json_object with json_schema; json_object → json_object; text → omitted")
    func responseFormat() throws {
        let schema = #"{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}"#
        let withSchema = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":\#(schema)}}}"#)
        #expect(try StructuralJSON.parse(withSchema.body)["response_format"] == StructuralJSON.parse(#"{"type":"json_object","json_schema":\#(schema)}"#))
        let object = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}"#)
        #expect(try StructuralJSON.parse(object.body)["response_format"] == StructuralJSON.parse(#"{"type":"json_object"}"#))
        let text = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"text"}}"#)
        #expect(try StructuralJSON.parse(text.body)["response_format"] == nil)
    }

    @Test("reasoning_effort becomes Cohere's thinking switch: none → disabled, any level → enabled")
    func reasoningEffort() throws {
        let high = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"high"}"#)
        #expect(try StructuralJSON.parse(high.body)["thinking"] == StructuralJSON.parse(#"{"type":"enabled"}"#))
        let none = try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"none"}"#)
        #expect(try StructuralJSON.parse(none.body)["thinking"] == StructuralJSON.parse(#"{"type":"disabled"}"#))
    }

    @Test("what Cohere cannot take is reported: parallel_tool_calls false, logprobs, user, metadata, unknown fields")
    func dropped() throws {
        let translated = try translate(#"""
            {"model":"m","messages":[{"role":"user","content":"x"}],"parallel_tool_calls":false,"logprobs":true,
             "user":"u1","metadata":{"k":"v"},"logit_bias":{"1":2},"service_tier":"flex"}
            """#)
        #expect(Set(translated.dropped.map(\.kind)) == ["logit_bias", "service_tier", "parallel_tool_calls", "logprobs", "user", "metadata"])
        let body = try StructuralJSON.parse(translated.body)
        #expect(body["logit_bias"] == nil && body["user"] == nil && body["service_tier"] == nil)
    }

    @Test("n > 1 is refused (Cohere returns one choice), n = 1 is fine")
    func multipleChoices() throws {
        #expect(throws: TranslationError.self) {
            try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"n":2}"#)
        }
        #expect(try translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"n":1}"#).dropped.isEmpty)
    }
}
