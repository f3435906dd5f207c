import Foundation
import HummingbirdTesting
import MockProviders
import Testing
import WireFormats

@Suite("Gemini emulator output has the structure of real captures")
struct GeminiCaptureStructureTests {
    typealias Support = NativeEmulatorSupport
    /// Real fields no SDK needs: `thoughtSignature` (an opaque token the emulator has no use for),
    /// the service tier, the finish message; `thoughtsTokenCount`, which the real thinking model
    /// reports whenever it thought (the emulator reports it when thoughts are asked for, tested in
    /// GeminiEmulatorTests); and the captured tools' own argument names.
    static let ignored: Set<String> = [
        "candidates[].content.parts[].thoughtSignature", "usageMetadata.serviceTier", "candidates[].finishMessage",
        "usageMetadata.thoughtsTokenCount", "candidates[].content.parts[].functionCall.args.*",
    ]

    static func kind(_ event: JSONValue) -> String {
        let part = event["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first
        if part?["functionCall"] != nil { return "functionCall" }
        if part?["thought"] == true { return "thought" }
        return event["candidates"]?.arrayValue?.first?["finishReason"] != nil ? "final" : "text"
    }

    static let tool: JSONValue = [
        "functionDeclarations": [[
            "name": "weather", "description": "Weather",
            "parameters": ["type": "OBJECT", "properties": ["latitude": ["type": "STRING"], "longitude": ["type": "STRING"]], "required": ["latitude", "longitude"]],
        ]]
    ]

    @Test("alt=sse: a function-call chunk and a text answer have every real field, CRLF framing as the real API")
    func sseStreams() async throws {
        let realStreams = try CapturedStreams.bodies("gemini/stream-sse-tools-multiturn.ruby-vcr.json")
            + CapturedStreams.bodies("gemini/stream-sse-tools-3turn.vcrpy.json")
        #expect(realStreams.allSatisfy { $0.hasPrefix("data: ") && $0.hasSuffix("\r\n\r\n") })
        let real = realStreams.flatMap(CapturedStreams.dataObjects)
        #expect(Set(real.map(Self.kind)).isSuperset(of: ["functionCall", "text", "final"]))
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            var emulated: [JSONValue] = []
            for body: JSONValue in [
                ["contents": [["role": "user", "parts": [["text": "weather in Berlin"]]]], "tools": [Self.tool]],
                ["contents": [["role": "user", "parts": [["text": "say a few words"]]]]],
            ] {
                let response = try await Support.post(client, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body, headers: GeminiEmulatorTests.key)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("data: ") && text.hasSuffix("\r\n\r\n"))
                emulated += CapturedStreams.dataObjects(text)
            }
            #expect(CapturedStreams.missing(real: real, emulated: emulated, kind: Self.kind, ignoring: Self.ignored) == [:])
        }
    }
}
