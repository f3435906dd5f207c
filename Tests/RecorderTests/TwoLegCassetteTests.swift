import Foundation
import Recorder
import Testing

/// The pieces of a two-leg cassette that need no proxy: how a hop becomes a redacted
/// interaction, and how a sent upstream request is compared with the recorded one.
@Suite("Two-leg cassettes")
struct TwoLegCassetteTests {
    static func hop(_ leg: CassetteInteraction.Leg, headers: [CassetteHeader], chunks: [(Int, String)], contentType: String) -> RecordedHop {
        RecordedHop(
            leg: leg, method: "POST", path: "/v1/messages?key=AIzaSyExampleExampleExampleExample00", host: "127.0.0.1:1",
            requestHeaders: headers + [CassetteHeader("Connection", "keep-alive"), CassetteHeader("Content-Length", "2")],
            requestBody: Data(#"{"refresh_token":"1//secret-refresh"}"#.utf8), status: 200,
            responseHeaders: [CassetteHeader("Content-Type", contentType)],
            responseChunks: chunks.map { (offsetMs: $0.0, bytes: Data($0.1.utf8)) }, startedAt: Date(timeIntervalSince1970: 0), durationMs: 7)
    }

    @Test("a hop is redacted as archestra record redacts, framing headers dropped, an SSE body cut into whole events at the time their last byte came")
    func hopBecomesRedactedInteraction() throws {
        let upstream = Self.hop(
            .upstream, headers: [CassetteHeader("x-api-key", "sk-ant-api03-real"), CassetteHeader("Authorization", "Bearer arch_vk_secret")],
            chunks: [(3, "event: a\ndata: 1\n\nevent: b\nda"), (9, "ta: 2\n\n"), (12, "data: tail")], contentType: "text/event-stream")
        let interaction = try #require(TwoLegCassette.interaction(from: upstream))
        #expect(interaction.leg == .upstream)
        #expect(interaction.request.headers == [CassetteHeader("x-api-key", "<redacted>"), CassetteHeader("Authorization", "Bearer <redacted>")])
        #expect(interaction.request.path == "/v1/messages?key=%3Credacted%3E")
        #expect(interaction.request.body?.data == #"{"refresh_token":"<redacted>"}"#)
        let frames = try #require(interaction.response.stream)
        #expect(frames.map(\.offsetMs) == [3, 9, 12])
        #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == ["event: a\ndata: 1\n\n", "event: b\ndata: 2\n\n", "data: tail"])
        #expect(interaction.durationMs == 7)

        let client = Self.hop(.client, headers: [], chunks: [(0, "{\"a\":"), (1, "1}")], contentType: "application/json")
        let whole = try #require(TwoLegCassette.interaction(from: client))
        #expect(whole.response.stream == nil)
        #expect(whole.response.body?.data == #"{"a":1}"#)

        var unanswered = client
        unanswered.status = nil
        #expect(TwoLegCassette.interaction(from: unanswered) == nil)
        let cassette = TwoLegCassette.cassette(client: client, upstream: [upstream, unanswered], provider: "anthropic", upstreamOrigin: "http://127.0.0.1:1", kind: .recorded)
        #expect(cassette.isTwoLeg)
        #expect(cassette.interactions.map(\.leg) == [.client, .upstream])
        #expect(CassetteLinter().findings(in: cassette).isEmpty)
        #expect(try Cassette.decode(cassette.encoded()) == cassette)
    }

    @Test("the upstream comparison names the field, and headers added, removed or changed; unstable headers are not compared")
    func upstreamComparison() {
        let recorded = CassetteRequest(
            method: "POST", path: "/v1/messages",
            headers: [CassetteHeader("x-api-key", "<redacted>"), CassetteHeader("anthropic-version", "2023-06-01"), CassetteHeader("date", "Mon")],
            body: CassetteBody(bytes: Data(#"{"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}"#.utf8)))
        #expect(UpstreamLegComparison.differences(sent: recorded, recorded: recorded).isEmpty)
        var sent = recorded
        sent.path = "/v1/messages?beta=true"
        sent.headers = [CassetteHeader("Authorization", "Bearer <redacted>"), CassetteHeader("anthropic-version", "2024-01-01"), CassetteHeader("date", "Tue")]
        sent.body = CassetteBody(bytes: Data(#"{"max_tokens":64,"messages":[{"role":"user","content":"hello"}]}"#.utf8))
        let differences = UpstreamLegComparison.differences(sent: sent, recorded: recorded)
        #expect(differences.contains(#"query.beta: sent "true", recorded (absent)"#), "\(differences)")
        #expect(differences.contains { $0.hasPrefix("body.messages[0].content: sent \"hello\"") }, "\(differences)")
        #expect(differences.contains(#"header anthropic-version: sent ["2024-01-01"], recorded ["2023-06-01"]"#))
        #expect(differences.contains(#"header authorization added: sent ["Bearer <redacted>"], not recorded"#))
        #expect(differences.contains(#"header x-api-key removed: not sent, recorded ["<redacted>"]"#))
        #expect(!differences.contains { $0.contains("date") })
    }
}
