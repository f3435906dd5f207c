import CassetteTesting
import Foundation
import Recorder
import Testing

/// Real Vertex AI captures (`Cassettes/vertex/`) replayed through `archestra serve` in Vertex AI
/// mode by the cassette test runner (`VertexReplay`): the proxy obtains its token itself, from
/// the cassette's own recorded token exchange or, for a capture without one, from the metadata
/// emulator. The client sends only the Vertex call and must get back exactly what Vertex sent;
/// every recorded interaction, the token exchange included, must be played.
@Suite("Vertex AI cassettes replay through archestra serve in Vertex mode", .timeLimit(.minutes(1)))
struct VertexCassetteReplayTests {
    static let directory = CommittedCassettes.directory.appendingPathComponent("vertex", isDirectory: true)

    @Test(
        "a Vertex capture replays through the proxy with the recorded status, headers and bytes",
        arguments: ["generate-content.vcrpy.json", "google-oauth2-refresh-then-vertex.vcrpy.json", "oauth2-then-stream-sse.ruby-vcr.json"])
    func replays(_ file: String) async throws {
        let path = Self.directory.appendingPathComponent(file).path
        let result = await CassetteTestRunner.test(file: path, bindings: try CommittedCassettes.placeholderBindings())
        #expect(result.provider == CassetteTestRunner.vertex)
        #expect(result.interactions == 1)
        for failure in result.failures {
            Issue.record("\(file) \(failure)")
        }
    }

    @Test("the capture with a token exchange is replayed with it, the other through the metadata emulator")
    func tokenSources() throws {
        let withExchange = try Cassette.load(from: Self.directory.appendingPathComponent("google-oauth2-refresh-then-vertex.vcrpy.json").path)
        #expect(withExchange.interactions.contains { $0.request.path.hasPrefix("/token") })
        let without = try Cassette.load(from: Self.directory.appendingPathComponent("generate-content.vcrpy.json").path)
        #expect(!without.interactions.contains { $0.request.path.hasPrefix("/token") })
    }
}
