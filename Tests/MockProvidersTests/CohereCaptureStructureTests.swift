import Foundation
import HummingbirdTesting
import MockProviders
import Testing
import WireFormats

@Suite("Cohere emulator output has the structure of real captures")
struct CohereCaptureStructureTests {
    typealias Support = NativeEmulatorSupport

    static func kind(_ event: JSONValue) -> String { event["type"]?.stringValue ?? "?" }

    static func collapsed(_ events: [JSONValue]) -> [String] {
        events.map(Self.kind).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
    }

    @Test("text and tool-call streams: the real event order, every real field, event: names and the [DONE] end")
    func streams() async throws {
        let realText = try #require(try CapturedStreams.bodies("cohere/v2-chat-stream.ruby-vcr.json").first)
        let realTool = try #require(try CapturedStreams.bodies("cohere/v2-chat-stream-tools-multiturn.ruby-vcr.json").first)
        #expect(realText.hasSuffix("data: [DONE]\n\n") && realTool.hasSuffix("data: [DONE]\n\n"))
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let text = String(buffer: try await Support.post(client, "/v2/chat", ["model": "command-a", "stream": true, "messages": [["role": "user", "content": "hi"]]], headers: CohereEmulatorTests.key).body)
            let tool = String(buffer: try await Support.post(client, "/v2/chat", [
                "model": "command-a", "stream": true, "tools": [CohereEmulatorTests.tool], "messages": [["role": "user", "content": "get_weather Berlin"]],
            ], headers: CohereEmulatorTests.key).body)
            #expect(text.hasSuffix("data: [DONE]\n\n") && tool.hasSuffix("data: [DONE]\n\n"))
            for (real, emulated) in [(realText, text), (realTool, tool)] {
                let realEvents = CapturedStreams.dataObjects(real), emulatedEvents = CapturedStreams.dataObjects(emulated)
                #expect(Self.collapsed(emulatedEvents) == Self.collapsed(realEvents))
                #expect(CapturedStreams.missing(real: realEvents, emulated: emulatedEvents, kind: Self.kind, ignoring: []) == [:])
            }
        }
    }
}
