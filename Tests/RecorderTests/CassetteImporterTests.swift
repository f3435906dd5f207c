import Foundation
import Recorder
import Testing

@Suite("CassetteImporter")
struct CassetteImporterTests {
    /// `<repo>/../shared/real-traffic` (the shared folder beside the repository, as in CI).
    static let realTraffic = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/real-traffic").path
    let importer = CassetteImporter()

    func text(_ frame: CassetteFrame?) -> String? {
        frame.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test("go-vcr v4: SSE body split into exact events, duration and provenance from INDEX.md")
    func goVCR() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/openai/chat-stream-text.go-vcr.yaml")
        let interaction = try #require(cassette.interactions.first)
        #expect(cassette.interactions.count == 1)
        #expect(interaction.request.method == "POST")
        #expect(interaction.request.path == "/v1/chat/completions")
        #expect(interaction.request.host == "api.openai.com")
        #expect(interaction.response.status == 200)
        #expect(interaction.durationMs == 6710)
        let frames = try #require(interaction.response.stream)
        #expect(frames.count == 51)
        #expect(
            text(frames.first)
                == #"data: {"id":"chatcmpl-C4HqHBe4xca0k0EzsCnf1t6V3YFXp","object":"chat.completion.chunk","created":1755137933,"model":"gpt-5-nano-2025-08-07","service_tier":"default","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}],"obfuscation":"nX"}"#
                + "\n\n"
        )
        #expect(text(frames.last) == "data: [DONE]\n\n")
        #expect(frames.allSatisfy { $0.offsetMs == 0 && $0.encoding == .utf8 })
        // The request body stays exactly as captured (pretty-printed by go-vcr's hook).
        #expect(String(decoding: try #require(interaction.request.body).bytes, as: UTF8.self).hasPrefix("{\n  \"messages\": [\n"))
        let provenance = cassette.provenance
        #expect(provenance.kind == .converted)
        #expect(provenance.sourceRepository == "envoyproxy/ai-gateway")
        #expect(provenance.sourceCommit == "c217da8a53")
        #expect(provenance.sourcePath == "tests/internal/testopenai/cassettes/chat-streaming.yaml")
        #expect(provenance.license == "Apache-2.0")
        #expect(provenance.provider == "openai")
        #expect(provenance.upstream == "https://api.openai.com")
    }

    @Test("go-vcr v4: error status kept with its body")
    func goVCRError() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/openai/embeddings-400.go-vcr.yaml")
        let response = try #require(cassette.interactions.first?.response)
        #expect(response.status == 400)
        #expect(response.stream == nil)
        let body = try #require(response.body)
        #expect(body.encoding == .utf8)
        #expect(body.data.hasPrefix("{\n  \"error\": {\n    \"code\": null,\n    \"message\": \"-1 is less than the minimum of 1 - 'dimensions'\""))
    }

    @Test("VCR.py stock: !!binary gzip body kept as base64 bytes with content-encoding")
    func vcrPyGzip() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/anthropic/messages-stream-tool-use.vcrpy.yaml")
        let interaction = try #require(cassette.interactions.first)
        #expect(cassette.provenance.originalFormat == CassetteImportFlavour.vcrPy.rawValue)
        #expect(cassette.provenance.sourceRepository == "simonw/llm-anthropic")
        #expect(interaction.request.path == "/v1/messages")
        #expect(interaction.request.body?.reserialized == nil)
        #expect(interaction.request.body?.data.hasPrefix(#"{"max_tokens":8192,"messages":[{"role":"user","content":[{"type":"text","text":"Generate one name"#) == true)
        let response = interaction.response
        #expect(response.status == 200)
        #expect(response.headers.first(named: "content-encoding") == "gzip")
        #expect(response.stream == nil)
        let body = try #require(response.body)
        #expect(body.encoding == .base64)
        #expect(Array(body.bytes.prefix(3)) == [0x1f, 0x8b, 0x08])
        #expect(body.data.hasPrefix("H4sIAAAAAAAAA3SQQU/DMAyF7/sVU86r1G6tEL2xA3DlggQIRSbx1mhpUhKn0jT1v+NIq6Agcsv7"))
    }

    @Test("pydantic-ai: parsed_body re-serialised and marked; SSE literal block split into events")
    func pydanticAI() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/openai/responses-stream-tools.vcrpy.yaml")
        #expect(cassette.provenance.originalFormat == CassetteImportFlavour.pydanticAI.rawValue)
        #expect(cassette.provenance.license == "MIT")
        #expect(cassette.interactions.map(\.response.status) == [200, 200])
        let first = try #require(cassette.interactions.first)
        let requestBody = try #require(first.request.body)
        #expect(requestBody.reserialized == true)
        #expect(requestBody.data.hasPrefix(#"{"input":[{"content":"What is the capital of France?","role":"user"}],"instructions":"","model":"gpt-4o","stream":true,"#))
        let frames = try #require(first.response.stream)
        #expect(text(frames.first)?.hasPrefix("event: response.created\ndata: {\"type\":\"response.created\"") == true)
        #expect(text(frames.first)?.hasSuffix("}\n\n") == true)

        let error = try importer.importFile(at: "\(Self.realTraffic)/openai/responses-400.vcrpy.yaml")
        let response = try #require(error.interactions.first?.response)
        #expect(response.status == 400)
        #expect(response.body?.reserialized == true)
        #expect(
            response.body?.data
                == #"{"error":{"code":"decimal_below_min_value","message":"Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -1 instead.","param":"temperature","type":"invalid_request_error"}}"#
        )
    }

    @Test("Ruby VCR 6: !binary SSE decoded to UTF-8 events, statuses in order, token header scrubbed")
    func rubyVCR() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/anthropic/messages-stream-tools-multiturn.ruby-vcr.yml")
        #expect(cassette.provenance.originalFormat == CassetteImportFlavour.rubyVCR.rawValue)
        #expect(cassette.provenance.sourceRepository == "crmne/ruby_llm")
        #expect(cassette.interactions.map(\.response.status) == [200, 200, 200, 200])
        let frames = cassette.interactions.compactMap(\.response.stream).flatMap { $0 }
        #expect(frames.contains { text($0)?.contains("15°C") == true })
        #expect(text(frames.first) != nil)

        let openai = try importer.importFile(at: "\(Self.realTraffic)/openai/chat-stream-tools-2turn.ruby-vcr.yml")
        #expect(openai.interactions.first?.request.headers.first(named: "authorization") == "Bearer <redacted>")
        #expect(openai.interactions.first?.request.method == "POST")
    }

    @Test("Ruby VCR 6: AWS event-stream bodies become whole messages, binary (base64)")
    func rubyEventStream() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/bedrock/converse-stream-text-sigv4.ruby-vcr.yml")
        let response = try #require(cassette.interactions.first?.response)
        #expect(response.status == 200)
        let frames = try #require(response.stream)
        #expect(frames.count == 11)
        #expect(frames.allSatisfy { $0.encoding == .base64 })
        // Each frame is exactly one message: its 4-byte big-endian total length is its size.
        for frame in frames {
            let bytes = [UInt8](frame.bytes)
            #expect(Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]) == bytes.count)
        }
    }

    @Test("pydantic-ai: !!binary header values are decoded; event-stream body becomes base64 messages")
    func pydanticBinaryHeaders() throws {
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/bedrock/converse-stream-text.vcrpy.yaml")
        let interaction = try #require(cassette.interactions.first)
        #expect(interaction.request.headers.first(named: "content-type") == "application/json")
        #expect(interaction.request.headers.first(named: "amz-sdk-request") == "attempt=1")
        #expect(interaction.response.stream?.count == 12)
        #expect(interaction.response.stream?.allSatisfy { $0.encoding == .base64 } == true)
    }

    @Test("flags override INDEX.md provenance, and inline YAML converts without an index")
    func overridesAndInline() throws {
        let yaml = """
            interactions:
            - request:
                body: '{"a": 1}'
                headers:
                  x-api-key:
                  - sk-ant-secret
                method: POST
                uri: https://api.example.com/v1/x?key=abc
              response:
                body:
                  string: 'ok'
                headers: {}
                status:
                  code: 201
                  message: Created
            version: 1
            """
        let cassette = try CassetteImporter().convert(yaml: yaml)
        let interaction = try #require(cassette.interactions.first)
        #expect(interaction.request.path == "/v1/x?key=%3Credacted%3E")
        #expect(interaction.request.headers == [CassetteHeader("x-api-key", "<redacted>")])
        #expect(interaction.request.body?.data == #"{"a": 1}"#)
        #expect(interaction.response.status == 201)
        #expect(interaction.response.body?.data == "ok")

        let overridden = try CassetteImporter(
            overrides: CassetteProvenanceOverrides(provider: "x", source: "me/repo @ abc123: tests/a.yaml", license: "ISC")
        ).importFile(at: "\(Self.realTraffic)/openai/responses-400.vcrpy.yaml")
        #expect(overridden.provenance.sourceRepository == "me/repo")
        #expect(overridden.provenance.sourceCommit == "abc123")
        #expect(overridden.provenance.sourcePath == "tests/a.yaml")
        #expect(overridden.provenance.license == "ISC")
        #expect(overridden.provenance.provider == "x")
    }

    @Test("NOTICE lists each source repository with its licence and files")
    func notice() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("openai"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let cassette = try importer.importFile(at: "\(Self.realTraffic)/openai/chat-tools.go-vcr.yaml")
        try cassette.write(to: root.appendingPathComponent("openai/chat-tools.go-vcr.json").path)
        try CassetteNotice.regenerate(inDirectory: root.path)
        let notice = try String(contentsOf: root.appendingPathComponent("NOTICE"), encoding: .utf8)
        #expect(notice.contains("envoyproxy/ai-gateway (https://github.com/envoyproxy/ai-gateway) — Apache-2.0"))
        #expect(notice.contains("openai/chat-tools.go-vcr.json <- tests/internal/testopenai/cassettes/chat-tools.yaml @ c217da8a53"))
    }
}
