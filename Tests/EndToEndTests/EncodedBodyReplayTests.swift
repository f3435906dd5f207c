import CassetteTesting
import Foundation
import Recorder
import Testing

/// No committed OpenAI capture is gzip'd yet, so these cassettes are built in memory: a
/// content-encoded body must cross the proxy as the recorded compressed bytes, never decompressed
/// or re-framed as events.
@Suite("Content-encoded recordings replay through archestra serve", .timeLimit(.minutes(1)))
struct EncodedBodyReplayTests {
    /// gzip of `{"id":"chatcmpl-gz","object":"chat.completion","choices":[]}` (mtime 0).
    static let gzipJSON = "H4sIAAAAAAACA6tWykxRslJKzkgsSc4tyNFNr1LSUcpPykpNLoEK6yXnAyVSSzLz84BSyRn5mcmpxUpW0bG1AJIq8jM8AAAA"
    /// gzip of two chat-completion SSE events (mtime 0), recorded as two frames cut mid-member.
    static let gzipEvents = "H4sIAAAAAAACA0tJLEm0UqhWSs7Iz0xOLVayiq5WSknNKUlUsgIK5ueVpOaVKFkpZWQq1dbG1nJxpYDVR7v4+7nGcnEBALZlmZM+AAAA"

    static func interaction(body: String, stream: Bool, contentType: String) throws -> CassetteInteraction {
        let bytes = try #require(Data(base64Encoded: body))
        let headers = [
            CassetteHeader("Content-Type", contentType), CassetteHeader("Content-Encoding", "gzip"),
            CassetteHeader("x-request-id", "req_gzip_e2e"),
        ]
        let response =
            stream
            ? CassetteResponse(
                status: 200, headers: headers,
                stream: [CassetteFrame(offsetMs: 0, bytes: bytes.prefix(20), preferBinary: true), CassetteFrame(offsetMs: 5, bytes: bytes.dropFirst(20), preferBinary: true)])
            : CassetteResponse(status: 200, headers: headers, body: CassetteBody(bytes: bytes, preferBinary: true))
        return CassetteInteraction(
            request: CassetteRequest(
                method: "POST",
                path: "/v1/chat/completions",
                headers: [
                    CassetteHeader("Authorization", "Bearer <redacted>"), CassetteHeader("Content-Type", "application/json"),
                    CassetteHeader("Accept-Encoding", "gzip"),
                ],
                body: CassetteBody(bytes: Array(#"{"model":"gpt-4o-mini","messages":[],"stream":\#(stream)}"#.utf8))
            ),
            response: response
        )
    }

    @Test("a gzip'd JSON body and a gzip'd event stream reach the client as the recorded compressed bytes", arguments: [false, true])
    func gzipBodyCrossesTheProxyUntouched(stream: Bool) async throws {
        let interaction = try Self.interaction(
            body: stream ? Self.gzipEvents : Self.gzipJSON, stream: stream,
            contentType: stream ? "text/event-stream; charset=utf-8" : "application/json")
        let cassette = Cassette(provenance: CassetteProvenance(kind: .recorded), interactions: [interaction])
        let provider = try ProxiedProvider(id: "openai")
        let (received, unplayed) = try await withProxyInFrontOfReplay(cassettes: [cassette], provider: provider) { proxy in
            try await proxy.send(ClientRequest(replaying: interaction.request))
        }
        let expected = ObservedResponse(recorded: interaction.response)
        #expect(expected.events == nil, "a content-encoded stream has no event boundaries to compare")
        expectSameResponse(received, as: expected, stream ? "gzip stream" : "gzip body")
        #expect(received.body.prefix(2) == Data([0x1f, 0x8b]), "the body was decompressed on the way")
        #expect(unplayed.isEmpty)
    }
}
