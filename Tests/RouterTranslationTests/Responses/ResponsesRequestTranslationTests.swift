import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("OpenAI Responses request → chat request")
struct ResponsesRequestTranslationTests {
    let translator = ResponsesOverChatTranslator(identities: .fixed())

    func translate(_ json: String) throws -> (chat: JSONValue, dropped: [String]) {
        let request = try JSONDecoder().decode(ResponsesRequest.self, from: Data(json.utf8))
        let (chat, dropped) = try translator.chatRequest(for: request)
        return (try StructuralJSON.encoded(chat), dropped.map(\.kind))
    }

    @Test("instructions and a string input: system then user")
    func stringInput() throws {
        let (chat, dropped) = try translate(#"{"model":"cohere:command-a","instructions":"Be brief.","input":"Hi"}"#)
        #expect(chat == (try StructuralJSON.parse(#"""
            {"model":"cohere:command-a","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}
            """#)))
        #expect(dropped.isEmpty)
    }

    @Test("system and developer input messages keep their roles (Archestra turns them into user messages)")
    func systemAndDeveloperItems() throws {
        let (chat, _) = try translate(#"""
            {"model":"m","input":[
              {"role":"system","content":"Rules."},
              {"type":"message","role":"developer","content":[{"type":"input_text","text":"Answer in French."}]},
              {"role":"user","content":[{"type":"input_text","text":"Hi"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Bonjour.","annotations":[]}]},
              {"role":"user","content":"Again"}]}
            """#)
        #expect(chat["messages"] == (try StructuralJSON.parse(#"""
            [{"role":"system","content":"Rules."},{"role":"developer","content":"Answer in French."},
             {"role":"user","content":[{"type":"text","text":"Hi"}]},{"role":"assistant","content":"Bonjour."},
             {"role":"user","content":"Again"}]
            """#)))
    }

    @Test("function_call items of one turn become one assistant message with parallel tool_calls; outputs become tool messages")
    func functionCallRoundTrip() throws {
        let (chat, dropped) = try translate(#"""
            {"model":"m","input":[
              {"role":"user","content":"Weather and time?"},
              {"type":"reasoning","id":"rs_1","summary":[]},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call","id":"fc_2","call_id":"call_2","name":"get_time","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"18C"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"12:00"}]}]}
            """#)
        #expect(chat["messages"] == (try StructuralJSON.parse(#"""
            [{"role":"user","content":"Weather and time?"},
             {"role":"assistant","tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"18C"},
             {"role":"tool","tool_call_id":"call_2","content":"12:00"}]
            """#)))
        #expect(dropped == ["input item reasoning"])
    }

    @Test("flat function tools become chat tools; hosted tools are dropped; named tool_choice translates")
    func tools() throws {
        let (chat, dropped) = try translate(#"""
            {"model":"m","input":"x","tools":[
              {"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{}},"strict":true},
              {"type":"web_search_preview"}],
             "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false}
            """#)
        #expect(chat["tools"] == (try StructuralJSON.parse(#"""
            [{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{}},"strict":true}}]
            """#)))
        #expect(chat["tool_choice"] == (try StructuralJSON.parse(#"{"type":"function","function":{"name":"get_weather"}}"#)))
        #expect(chat["parallel_tool_calls"] == false)
        #expect(dropped == ["tools[].type web_search_preview"])
    }

    @Test("tool_choice strings pass; allowed_tools keeps its mode and is reported; with only hosted tools no tool_choice is sent")
    func toolChoices() throws {
        let tool = #"{"type":"function","name":"f","parameters":{"type":"object"}}"#
        #expect(try translate(#"{"model":"m","input":"x","tools":[\#(tool)],"tool_choice":"required"}"#).chat["tool_choice"] == "required")
        #expect(try translate(#"{"model":"m","input":"x","tools":[\#(tool)],"tool_choice":"none"}"#).chat["tool_choice"] == "none")
        let allowed = try translate(#"{"model":"m","input":"x","tools":[\#(tool)],"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f"}]}}"#)
        #expect(allowed.chat["tool_choice"] == "required")
        #expect(allowed.dropped == ["tool_choice allowed_tools"])
        let hosted = try translate(#"{"model":"m","input":"x","tools":[{"type":"file_search"}],"tool_choice":"required"}"#)
        #expect(hosted.chat["tool_choice"] == nil && hosted.chat["tools"] == nil)
    }

    @Test("options: max_output_tokens → max_completion_tokens, text.format json_schema → response_format, reasoning.effort kept, stream asks for usage")
    func options() throws {
        let (chat, dropped) = try translate(#"""
            {"model":"m","input":"x","temperature":0.5,"top_p":0.75,"max_output_tokens":256,"stream":true,"user":"u",
             "text":{"format":{"type":"json_schema","name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}},
             "reasoning":{"effort":"low","summary":"auto"}}
            """#)
        #expect(chat == (try StructuralJSON.parse(#"""
            {"model":"m","messages":[{"role":"user","content":"x"}],"temperature":0.5,"top_p":0.75,"max_completion_tokens":256,
             "stream":true,"stream_options":{"include_usage":true},"user":"u","reasoning_effort":"low",
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}
            """#)))
        #expect(dropped == ["reasoning.summary"])
    }

    @Test("what cannot be honoured over chat is reported: previous_response_id, store, unknown fields")
    func dropped() throws {
        let (_, dropped) = try translate(#"{"model":"m","input":"x","previous_response_id":"resp_1","store":true,"truncation":"auto","include":["reasoning.encrypted_content"]}"#)
        #expect(dropped == ["include", "truncation", "store", "previous_response_id"])
    }

    @Test("input_image URLs become chat image parts; uploaded file ids are reported")
    func images() throws {
        let (chat, dropped) = try translate(#"""
            {"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"What?"},
              {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"},
              {"type":"input_image","file_id":"file-1","detail":"auto"}]}]}
            """#)
        #expect(chat["messages"] == (try StructuralJSON.parse(#"""
            [{"role":"user","content":[{"type":"text","text":"What?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"}}]}]
            """#)))
        #expect(dropped == ["input_image (file_id)"])
    }

    @Test("an unknown message role is the client's error")
    func unknownRole() throws {
        #expect(throws: TranslationError.self) { try translate(#"{"model":"m","input":[{"role":"critic","content":"x"}]}"#) }
    }
}
