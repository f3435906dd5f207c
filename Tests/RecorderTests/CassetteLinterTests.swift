import Foundation
import Recorder
import Testing

@Suite("CassetteLinter")
struct CassetteLinterTests {
    let linter = CassetteLinter()

    static func cassette(path: String = "/v1/chat/completions", headers: [CassetteHeader] = [], body: String? = nil, frames: [String] = [], binaryFrame: Data? = nil) -> Cassette {
        var stream = frames.map { CassetteFrame(offsetMs: 0, body: CassetteBody(encoding: .utf8, data: $0)) }
        if let binaryFrame { stream.append(CassetteFrame(offsetMs: 0, body: CassetteBody(bytes: binaryFrame, preferBinary: true))) }
        return Cassette(
            provenance: CassetteProvenance(kind: .recorded, provider: "openai"),
            interactions: [
                CassetteInteraction(
                    request: CassetteRequest(method: "POST", path: path, headers: headers, body: body.map { CassetteBody(encoding: .utf8, data: $0) }),
                    response: CassetteResponse(status: 200, stream: stream.isEmpty ? nil : stream)
                )
            ]
        )
    }

    @Test(
        "each secret shape is found, with its kind and a masked preview",
        arguments: [
            ("sk-proj-abcdefghijklmnopqrstuvwx1234", "provider key (sk-)"),
            ("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "provider key (sk-)"),
            ("AIzaSyA1234567890abcdefghijklmnopqrstuv", "Google API key"),
            ("gsk_abcdefghijklmnopqrstuvwx12", "Groq key"),
            ("xai-abcdefghijklmnopqrstuvwx12", "xAI key"),
            ("AKIAIOSFODNN7ABCDEFG", "AWS access key id"),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JWT"),
            ("arch_abcdefghijklmnopqrstuvwxyz012345", "archestra virtual key"),
        ])
    func shapes(value: String, kind: String) throws {
        let findings = linter.findings(in: Self.cassette(body: #"{"note":"\#(value)"}"#))
        let finding = try #require(findings.first { $0.kind == kind })
        #expect(finding.location == "interactions[0].request.body")
        #expect(finding.preview == "\(value.prefix(4))… (\(value.count) chars)")
        // The report never carries the secret itself.
        #expect(!finding.description.contains(value))
    }

    @Test("bearer values, key= query values and secret headers are found where they are")
    func locations() {
        let cassette = Self.cassette(
            path: "/v1beta/models/gemini:generateContent?alt=sse&key=live-key-123456",
            headers: [CassetteHeader("Authorization", "Bearer ya29.live-token-value"), CassetteHeader("x-api-key", "opaque-live-key")],
            frames: ["data: {\"ok\":true}\n\n"]
        )
        let findings = linter.findings(in: cassette)
        #expect(Set(findings.map(\.location)) == [
            "interactions[0].request.path", "interactions[0].request.headers.authorization", "interactions[0].request.headers.x-api-key",
        ])
        #expect(findings.first { $0.location.hasSuffix("x-api-key") }?.kind == "secret header value")
    }

    @Test("stream frames are scanned, binary ones too")
    func frames() {
        var eventStream = Data([0, 0, 0, 80, 0, 0, 0, 40, 0x12, 0x34])
        eventStream.append(Data(#"{"token":"AKIAIOSFODNN7ABCDEFG"}"#.utf8))
        let findings = linter.findings(in: Self.cassette(frames: ["data: {\"key\":\"sk-proj-abcdefghijklmnopqrstuvwx\"}\n\n"], binaryFrame: eventStream))
        #expect(findings.map(\.location) == ["interactions[0].response.stream[0]", "interactions[0].response.stream[1]"])
    }

    @Test(
        "placeholders are not findings",
        arguments: [
            "Bearer <redacted>", "Bearer <API_KEY>", "Bearer REDACTED_TOKEN_VALUE", "Bearer xxxxxxxxxxxx", "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
            "sk-proj-your-api-key-goes-here-please", "Bearer ********************",
        ])
    func placeholders(value: String) {
        #expect(linter.findings(in: Self.cassette(headers: [CassetteHeader("Authorization", value)])).isEmpty)
        #expect(linter.findings(in: Self.cassette(path: "/x?key=%3Credacted%3E")).isEmpty)
    }

    @Test("--allow accepts a known fake")
    func allowed() throws {
        let cassette = Self.cassette(body: #"{"k":"sk-proj-abcdefghijklmnopqrstuvwx1234"}"#)
        let allowing = CassetteLinter(allowed: [try NSRegularExpression(pattern: "^sk-proj-abcdef")])
        #expect(allowing.findings(in: cassette).isEmpty)
        #expect(!linter.findings(in: cassette).isEmpty)
    }

    @Test("what the redactor writes lints clean: the two agree on headers and queries")
    func redactedIsClean() {
        let cassette = Self.cassette(
            path: "/v1/x?key=AIzaSyA1234567890abcdefghijklmnopqrstuv",
            headers: [
                CassetteHeader("Authorization", "Bearer sk-proj-abcdefghijklmnopqrstuvwx1234"),
                CassetteHeader("x-goog-api-key", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
                CassetteHeader("x-amz-security-token", "IQoJb3JpZ2luX2VjEJr"),
            ],
            body: #"{"client_secret":"sk-proj-abcdefghijklmnopqrstuvwx1234","access_token":"ya29.abcdefghijkl"}"#
        )
        #expect(linter.findings(in: cassette).count >= 4)
        let redacted = Cassette(provenance: cassette.provenance, interactions: cassette.interactions.map(CassetteRedactor().redact))
        #expect(linter.findings(in: redacted) == [])
    }

    @Test("the committed cassettes lint clean")
    func committedCassettes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Cassettes")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }
        #expect(files.count > 50)
        for file in files {
            let cassette = try Cassette.load(from: root.appendingPathComponent(file).path)
            #expect(linter.findings(in: cassette) == [], "\(file)")
        }
    }
}
