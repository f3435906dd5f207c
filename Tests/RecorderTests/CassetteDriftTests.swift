import Foundation
import Recorder
import TestSupport
import Testing
import NIOCore
import NIOFoundationCompat
import WireFormats

@Suite("cassette diff (CassetteShape, CassetteDrift)")
struct CassetteDriftTests {
    static func sse(_ events: [String], status: Int = 200) -> Cassette {
        Cassette(
            provenance: CassetteProvenance(kind: .recorded, provider: "anthropic"),
            interactions: [
                CassetteInteraction(
                    request: CassetteRequest(method: "POST", path: "/v1/messages?beta=true"),
                    response: CassetteResponse(
                        status: status, headers: [CassetteHeader("Content-Type", "text/event-stream; charset=utf-8")],
                        stream: events.map { CassetteFrame(offsetMs: 0, body: CassetteBody(encoding: .utf8, data: $0)) })
                )
            ])
    }

    static func json(_ body: String, gzip: Bool = false) async throws -> Cassette {
        var bytes = Data(body.utf8)
        if gzip { bytes = try await Self.gzip(bytes) }
        return Cassette(
            provenance: CassetteProvenance(kind: .recorded, provider: "openai"),
            interactions: [
                CassetteInteraction(
                    request: CassetteRequest(method: "POST", path: "/v1/chat/completions"),
                    response: CassetteResponse(status: 200, headers: [CassetteHeader("content-type", "application/json")], body: CassetteBody(bytes: bytes))
                )
            ])
    }

    /// gzip through the system's own tool: an independent encoder for the inflater to read.
    static func gzip(_ data: Data) async throws -> Data {
        let run = try await runTool("/bin/gzip", ["-c"], input: data)
        #expect(run.succeeded, "\(run.errors)")
        return run.output
    }

    let drift = CassetteDrift()

    static let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3}}}\n\n"
    static func delta(_ text: String) -> String {
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\(text)\"}}\n\n"
    }
    static let stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"

    @Test("values and the number of deltas are not changes")
    func sameShape() {
        let old = CassetteShape(Self.sse([Self.start, Self.delta("Hi"), Self.stop]))
        let new = CassetteShape(Self.sse([Self.start, Self.delta("Hello"), Self.delta(" there"), Self.delta("!"), Self.stop]))
        #expect(drift.differences(from: old, to: new) == [])
    }

    @Test("a new field, a removed one, a new event and a changed order are reported where they are")
    func fieldAndEventChanges() {
        let old = CassetteShape(Self.sse([Self.start, Self.delta("Hi"), Self.stop]))
        let newStart = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3,\"cache_read_input_tokens\":0}}}\n\n"
        let ping = "event: ping\ndata: {\"type\":\"ping\"}\n\n"
        let new = CassetteShape(Self.sse([newStart, ping, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n", Self.stop]))
        #expect(drift.differences(from: old, to: new) == [
            "interactions[0].stream: event order [message_start, content_block_delta, message_stop] → [message_start, ping, content_block_delta, message_stop]",
            "interactions[0].stream[content_block_delta]: - index (number)",
            "interactions[0].stream[message_start]: + message.usage.cache_read_input_tokens (number)",
            "interactions[0].stream: + event ping",
        ])
    }

    @Test("a type change and a status change are reported; --ignore leaves a path out")
    func typeAndStatus() async throws {
        let old = CassetteShape(try await Self.json(#"{"id":"c1","created":1,"choices":[{"index":0,"message":{"content":"hi"}}]}"#))
        let new = CassetteShape(try await Self.json(#"{"id":"c2","created":"1","choices":[{"index":0,"message":{"content":null}}]}"#))
        #expect(drift.differences(from: old, to: new) == [
            "interactions[0].body: ~ choices[].message.content string → null",
            "interactions[0].body: ~ created number → string",
        ])
        #expect(CassetteDrift(ignoredPaths: ["created", "choices"]).differences(from: old, to: new) == [])
        let failed = CassetteShape(Self.sse([Self.start], status: 529))
        #expect(drift.differences(from: CassetteShape(Self.sse([Self.start])), to: failed) == ["interactions[0]: status 200 → 529"])
    }

    @Test("gzip'd bodies are read through the inflater")
    func gzipBodies() async throws {
        let plain = CassetteShape(try await Self.json(#"{"id":"c1","usage":{"prompt_tokens":1}}"#))
        let gzipped = CassetteShape(try await Self.json(#"{"id":"c1","usage":{"prompt_tokens":1},"service_tier":"default"}"#, gzip: true))
        #expect(drift.differences(from: plain, to: gzipped) == ["interactions[0].body: + service_tier (string)"])
    }

    @Test("a truncated or non-gzip body is not inflated, and never crashes")
    func inflaterRefusesBadInput() async throws {
        let compressed = try await Self.gzip(Data(repeating: 65, count: 10_000))
        #expect(GzipInflater.inflate(compressed) == Data(repeating: 65, count: 10_000))
        #expect(GzipInflater.inflate(compressed.prefix(compressed.count / 2)) == nil)
        #expect(GzipInflater.inflate(Data("not gzip".utf8)) == nil)
        #expect(GzipInflater.inflate(Data([0x1f, 0x8b])) == nil)
    }

    @Test("Bedrock's event stream: events named by :event-type")
    func eventStream() throws {
        func message(_ type: String, _ json: String) throws -> Data {
            Data(buffer: try AWSEventStreamMessage.event(type: type, payload: ByteBuffer(string: json)).encoded())
        }
        func cassette(_ frames: [Data]) -> Cassette {
            Cassette(
                provenance: CassetteProvenance(kind: .recorded, provider: "bedrock"),
                interactions: [
                    CassetteInteraction(
                        request: CassetteRequest(method: "POST", path: "/model/m/converse-stream"),
                        response: CassetteResponse(
                            status: 200, headers: [CassetteHeader("content-type", "application/vnd.amazon.eventstream")],
                            stream: frames.map { CassetteFrame(offsetMs: 0, bytes: $0, preferBinary: true) }))
                ])
        }
        let old = CassetteShape(cassette([try message("messageStart", #"{"role":"assistant"}"#), try message("metadata", #"{"usage":{"inputTokens":1}}"#)]))
        let new = CassetteShape(cassette([try message("messageStart", #"{"role":"assistant"}"#), try message("metadata", #"{"usage":{"inputTokens":1,"cacheReadInputTokens":0}}"#)]))
        #expect(old.interactions[0].eventOrder == ["messageStart", "metadata"])
        #expect(drift.differences(from: old, to: new) == ["interactions[0].stream[metadata]: + usage.cacheReadInputTokens (number)"])
    }
}
