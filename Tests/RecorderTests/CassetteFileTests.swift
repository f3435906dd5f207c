import Foundation
import Recorder
import Testing

@Suite("Cassette file")
struct CassetteFileTests {
    func sample(status: Int) -> Cassette {
        Cassette(
            provenance: CassetteProvenance(kind: .recorded, upstream: "https://api.openai.com", tool: RecorderVersion.tool),
            interactions: [
                CassetteInteraction(
                    request: CassetteRequest(method: "GET", path: "/v1/models"),
                    response: CassetteResponse(
                        status: status,
                        body: CassetteBody(bytes: [0x1f, 0x8b, 0x00, 0xff]),
                        stream: nil
                    )
                )
            ]
        )
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cassette-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("round trip keeps binary bytes; JSON is pretty with sorted keys and ends in a newline")
    func roundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("c.json").path
        try sample(status: 200).write(to: path)
        let loaded = try Cassette.load(from: path)
        #expect(loaded == sample(status: 200))
        #expect(loaded.interactions.first?.response.body?.encoding == .base64)
        #expect(Array(try #require(loaded.interactions.first?.response.body).bytes) == [0x1f, 0x8b, 0x00, 0xff])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"interactions\" : ["))
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"tool\" : \"archestra record \(RecorderVersion.current)\""))
    }

    @Test("write replaces the file by rename: a reader holding the old file still sees it whole, no temp files remain")
    func atomicWrite() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("c.json").path
        try sample(status: 200).write(to: path)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? reader.close() }
        try sample(status: 500).write(to: path)
        // In-place truncation would show the reader the new (or a torn) file; rename leaves it the old inode.
        #expect(try reader.readToEnd() == oldBytes)
        #expect(try Cassette.load(from: path).interactions.first?.response.status == 500)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["c.json"])
    }

    @Test("writing into a missing folder throws and leaves nothing behind")
    func unwritable() throws {
        let path = "/nonexistent-\(UUID().uuidString)/c.json"
        #expect(throws: CassetteFileError.unwritable(path: path)) { try sample(status: 200).write(to: path) }
    }

    @Test("a newer format version is refused")
    func newerVersion() throws {
        let data = Data(#"{"version":99,"provenance":{"kind":"recorded"},"interactions":[]}"#.utf8)
        #expect(throws: CassetteFileError.unsupportedVersion(path: "<memory>", version: 99)) { try Cassette.decode(data) }
    }

    @Test("ReplayTiming parses its flag and scales offsets")
    func timing() {
        #expect(ReplayTiming(argument: "recorded") == .recorded)
        #expect(ReplayTiming(argument: "instant") == .instant)
        #expect(ReplayTiming(argument: "x10") == .scaled(10))
        #expect(ReplayTiming(argument: "x0") == nil)
        #expect(ReplayTiming(argument: "fast") == nil)
        #expect(ReplayTiming.recorded.delay(forOffsetMs: 250) == .milliseconds(250))
        #expect(ReplayTiming.instant.delay(forOffsetMs: 250) == .zero)
        #expect(ReplayTiming.scaled(10).delay(forOffsetMs: 250) == .milliseconds(25))
    }

    @Test("a base64 body that does not decode is refused at load, naming where it is")
    func invalidBase64() throws {
        let data = Data(
            #"""
            {"version":1,"provenance":{"kind":"recorded"},"interactions":[{"request":{"method":"GET","path":"/","headers":[]},
             "response":{"status":200,"headers":[],"stream":[{"offset_ms":0,"encoding":"base64","data":"***"}]}}]}
            """#.utf8
        )
        #expect(throws: CassetteFileError.malformed(path: "<memory>", reason: "interactions[0].response.stream[0] is not valid base64")) {
            try Cassette.decode(data)
        }
    }
}
