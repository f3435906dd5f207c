import Foundation
import Recorder
import Testing

@Suite("Azure SDK test-proxy JSON recordings")
struct AzureTestProxyImporterTests {
    static let recording = #"""
        {
          "Entries": [
            {
              "RequestUri": "https://fake-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
              "RequestMethod": "POST",
              "RequestHeaders": {"Accept": "application/json", "api-key": "live-key-value", "Content-Type": "application/json"},
              "RequestBody": {"messages": [{"role": "user", "content": "Hi"}], "stream": false},
              "StatusCode": 200,
              "ResponseHeaders": {"Content-Type": "application/json", "apim-request-id": "a1"},
              "ResponseBody": {"id": "chatcmpl-1", "choices": []}
            },
            {
              "RequestUri": "https://fake-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
              "RequestMethod": "POST",
              "RequestHeaders": {"Content-Type": "application/json"},
              "RequestBody": null,
              "StatusCode": 200,
              "ResponseHeaders": {"Content-Type": "text/event-stream"},
              "ResponseBody": ["data: {\"id\":\"c\"}", "", "data: [DONE]", "", ""]
            }
          ],
          "Variables": {}
        }
        """#

    @Test("entries become interactions: JSON bodies re-serialised, SSE lines re-joined into events, keys redacted")
    func converts() throws {
        let cassette = try AzureTestProxyImporter().convert(Data(Self.recording.utf8))
        #expect(cassette.interactions.count == 2)
        let first = cassette.interactions[0]
        #expect(first.request.path == "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")
        #expect(first.request.host == "fake-resource.openai.azure.com")
        #expect(first.request.headers.first(named: "api-key") == "<redacted>")
        #expect(first.request.body?.data == #"{"messages":[{"content":"Hi","role":"user"}],"stream":false}"#)
        #expect(first.request.body?.reserialized == true)
        #expect(first.response.body?.data == #"{"choices":[],"id":"chatcmpl-1"}"#)
        let stream = try #require(cassette.interactions[1].response.stream)
        #expect(stream.map(\.body.data) == ["data: {\"id\":\"c\"}\n\n", "data: [DONE]\n\n"])
        #expect(cassette.interactions[1].request.body == nil)
        #expect(cassette.provenance.upstream == "https://fake-resource.openai.azure.com")
        #expect(cassette.provenance.originalFormat == AzureTestProxyImporter.format)
    }

    @Test(
        "unknown shapes stop the import with the entry and the field",
        arguments: [
            (#"{"Entries":[{"RequestMethod":"GET","StatusCode":200}]}"#, "x.json: interaction 0: RequestUri: missing; nothing was written"),
            (#"{"Entries":[{"RequestUri":"https://h/p","RequestMethod":"GET","StatusCode":"OK"}]}"#, "x.json: interaction 0: StatusCode: found `OK`, expected an HTTP status code; nothing was written"),
            (#"{"Entries":[{"RequestUri":"https://h/p","RequestMethod":"GET","StatusCode":200,"ResponseHeaders":{"Content-Type":"text/plain"},"ResponseBody":{"a":1}}]}"#, "x.json: interaction 0: ResponseBody: a parsed JSON body for content type text/plain; nothing was written"),
            (#"{"Entries":[{"RequestUri":"https://h/p","RequestMethod":"GET","StatusCode":200,"ResponseHeaders":{"X":3}}]}"#, "x.json: interaction 0: ResponseHeaders.X: found 3; nothing was written"),
        ])
    func refused(json: String, message: String) {
        #expect {
            _ = try AzureTestProxyImporter().convert(Data(json.utf8), label: "x.json")
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test("the importer picks the format by content for .json files")
    func detection() throws {
        #expect(AzureTestProxyImporter.recognises(Data(Self.recording.utf8)))
        #expect(!AzureTestProxyImporter.recognises(Data(#"{"interactions":[]}"#.utf8)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("azure-\(UUID().uuidString).json")
        try Data(Self.recording.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try CassetteImporter().importFile(at: file.path).interactions.count == 2)
    }
}
