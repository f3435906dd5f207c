import Foundation
import Recorder
import Testing

@Suite("Raw-chunk fixtures (vercel/ai *.chunks.txt)")
struct RawChunkImporterTests {
    @Test("Anthropic payloads get their event lines; the request is the one given")
    func anthropic() throws {
        let text = #"{"type":"message_start","message":{"id":"m1"}}"# + "\n" + #"{"type":"ping"}"# + "\n\n"
        let cassette = try RawChunkImporter(provider: "anthropic", request: RawChunkRequest(path: "/v1/messages")).convert(text: text)
        let interaction = try #require(cassette.interactions.first)
        #expect(interaction.request.method == "POST")
        #expect(interaction.request.path == "/v1/messages")
        #expect(interaction.request.body?.data == #"{"stream":true}"#)
        #expect(interaction.response.status == 200)
        #expect(interaction.response.stream?.map(\.body.data) == [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}\n\n",
            "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        ])
        #expect(cassette.provenance.provider == "anthropic")
        #expect(cassette.provenance.notes?.contains("synthesised") == true)
    }

    @Test("OpenAI chat payloads stay data-only; the Responses API's are named")
    func openAI() throws {
        let chat = try RawChunkImporter(provider: "perplexity", request: RawChunkRequest(path: "/chat/completions")).convert(text: #"{"object":"chat.completion.chunk","type":"x"}"#)
        #expect(chat.interactions.first?.response.stream?.first?.body.data == "data: {\"object\":\"chat.completion.chunk\",\"type\":\"x\"}\n\n")
        let responses = try RawChunkImporter(provider: "azure", request: RawChunkRequest(path: "/openai/v1/responses")).convert(text: #"{"type":"response.created"}"#)
        #expect(responses.interactions.first?.response.stream?.first?.body.data == "event: response.created\ndata: {\"type\":\"response.created\"}\n\n")
    }

    @Test("a line that is not JSON, or no line at all, stops the import")
    func refused() {
        #expect(throws: CassetteImportError.unknownShape(path: "f.chunks.txt", interaction: 0, field: "line 2", found: "not a JSON payload")) {
            try RawChunkImporter(provider: "openai", request: RawChunkRequest(path: "/v1/chat/completions")).convert(text: "{}\ndata: {}\n", label: "f.chunks.txt")
        }
        #expect(throws: CassetteImportError.self) {
            try RawChunkImporter(provider: "openai", request: RawChunkRequest(path: "/v1/chat/completions")).convert(text: "\n\n")
        }
    }

    @Test("a chunk file without a request is refused rather than guessed")
    func needsRequest() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("x-\(UUID().uuidString).chunks.txt")
        try Data("{}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: CassetteImportError.chunksNeedRequest(path: file.path)) {
            try CassetteImporter(overrides: CassetteProvenanceOverrides(provider: "openai")).importFile(at: file.path)
        }
        let imported = try CassetteImporter(overrides: CassetteProvenanceOverrides(provider: "openai"))
            .importFile(at: file.path, chunkRequest: RawChunkRequest(path: "/v1/chat/completions"))
        #expect(imported.interactions.count == 1)
    }
}
